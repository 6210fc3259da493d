"""Stage 7 — front doors: the command line (`cli`) and the app's helpers that need no
Streamlit (`app`); `streamlit_app.py` only wires widgets to them."""
