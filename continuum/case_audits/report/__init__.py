"""An audit programme's report (issue 14): its figures (``figures``), its charts
(``charts``), its threshold agreement (``agreement``) and its PDF (``pdf``), in the
partnership report's print design."""
