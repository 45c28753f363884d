"""The baseline: the smallest Flask app, served by the same gunicorn settings as the real one.

`/book` is reported as a fraction of this app's requests per second, so the number says what
our code costs on top of Flask + gunicorn on this machine rather than how fast the machine is.
"""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "hello"
