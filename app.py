"""LeNet-5 Explorer: `streamlit run app.py`.

This file only routes: it lists the pages by hand for st.navigation, draws the sidebar that
every page shares, then runs the page the student picked. Streamlit runs it from the top on
every click, stroke and page switch; what must survive lives in st.session_state.
"""

import streamlit as st

from ui.sidebar import sidebar

st.set_page_config(page_title="LeNet-5 Explorer", page_icon=":material/grid_on:", layout="wide")

pages = [
    st.Page("pages/draw.py", title="Draw & classify", icon=":material/draw:", default=True),
    st.Page("pages/feature_maps.py", title="Feature maps", icon=":material/layers:"),
    st.Page("pages/c3_connections.py", title="C3 connections", icon=":material/hub:"),
    st.Page("pages/parameters.py", title="Parameters & architecture", icon=":material/table_chart:"),
]
page = st.navigation(pages)
sidebar()
page.run()
