"""Building the grader's learned models from the corpus (needs the `train` extra: scikit-learn).

Nothing here runs when a reply is graded: grading reads the exported weights in grading/models/.
"""
