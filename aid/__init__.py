"""Aid: funds and donations, disbursements, in-kind goods, campaigns, recommendations of families
too proud to ask, the equality report and the electronic card (TK-1…TK-5, TK-8, DU-7)."""
