"""The dashboards' statistics, as pure functions with no Django: funnel plot limits
(``funnel``), XmR charts with the Making Data Count rules (``spc``), next quarter's
demand (``projection``) and nearest-rank percentiles (``percentiles``)."""
