"""Pages of complaints: the public link (public.py) and the staff workflow (staff.py)."""
