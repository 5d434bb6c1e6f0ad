"""RM Trainer's application room: the command line now, the Flask app later."""
