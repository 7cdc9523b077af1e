# Jupyter server settings of the FounderLab images (/etc/jupyter): listen on
# every interface (at Jupyter's default port 8888, or $JUPYTER_PORT), no
# browser, and open the welcome notebook. JupyterHub's spawners and Binder pass their own
# --ip, --port and URL, which take precedence.
c = get_config()  # noqa: F821 (defined by Jupyter when it loads this file)
c.ServerApp.ip = "0.0.0.0"
c.ServerApp.open_browser = False
c.ServerApp.default_url = "/lab/tree/00-welcome.ipynb"
c.LabApp.default_url = "/lab/tree/00-welcome.ipynb"
# JupyterLab's application object as window.jupyterapp in the user's own
# browser tab, which docker/test.sh's browser check drives (as
# kernel/labtest does); it grants nothing the user's session cannot do.
c.LabApp.expose_app_in_browser = True
