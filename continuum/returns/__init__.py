"""Statutory returns given back out that draw on several apps' records: Ofsted's Annex A
lists (contacts, early help assessments, referrals, assessments, section 47 enquiries,
children in need, child protection), for one council and period."""
