"""Words the pages show from data (roles, modes, levels, bands, outcomes, kinds), marked here so
the translation catalogue has them; templates translate them with _(value)."""
from flask_babel import lazy_gettext as _l

WORDS = [
    _l("trainee"), _l("coach"), _l("admin"),
    _l("practice"), _l("exam"), _l("active"), _l("finished"),
    _l("red_line"), _l("warning"), _l("suggestion"), _l("good"),
    _l("furious"), _l("upset"), _l("uneasy"), _l("calm"), _l("satisfied"),
    _l("low"), _l("guarded"), _l("high"),
    _l("resolved"), _l("escalated"), _l("complaint_filed"), _l("customer_left"), _l("sale_completed"),
    _l("sale_refused_correctly"), _l("reported_internally"), _l("red_line_breach"),
    _l("complaint"), _l("loan_rejection"), _l("product_sale"), _l("aml"), _l("gift"),
    _l("confidentiality"), _l("general"),
    _l("etiquette"), _l("structure"), _l("empathy"), _l("compliance"),
    # error pages (trainer.errors.MESSAGES)
    _l("Bad request"), _l("Please log in"), _l("You do not have access to this page"), _l("Not found"),
    _l("Method not allowed"), _l("Conflict"), _l("The request is too large"),
    _l("The request could not be processed"), _l("Too many requests"), _l("Internal server error"),
    _l("The form expired or is missing its security token; reload the page and try again"),
]
