"""Aid pages under /files/aid/, one module per subject: disbursements and the file's aid (TK-1),
funds and donations (TK-3, TK-4), campaigns (TK-5), recommendations (TK-2), the equality report
(TK-8) and electronic cards (DU-7). Each module declares its URL patterns; aid/urls.py joins them."""
