"""The statutory pages: the council's timescales and referrals awaiting recording, a
referral with its timescales and what may be recorded on it, and the child's statutory
involvement as a tab of their record."""
