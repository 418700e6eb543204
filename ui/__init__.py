"""The UI side of LeNet-5 Explorer: Streamlit caching, session state, sidebar and figures."""
