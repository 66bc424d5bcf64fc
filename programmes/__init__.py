"""Programmes, training and activities: nominations, written answers, attendance, apologies
and drop-outs (TK-6, DU-3, DU-6, DU-10, DU-11)."""
