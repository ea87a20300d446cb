"""The verbs of case audits, one module per part (import from the module itself):
``programmes`` (creating, sampling, assigning, opening and closing programmes),
``templates`` (templates as versioned data and councils' own questions), ``auditing``
(findings, the conversation, submitting; moderation; actions; front-door observations) and
``regrades`` (blind re-grading of threshold levels)."""
