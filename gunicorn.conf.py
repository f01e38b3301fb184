"""gunicorn's settings for certtrack (read from the working directory by `gunicorn`):
bounded request time, workers recycled with jitter (docs/security.md item 25), and a Server
header without product or version (item 24). Command-line options override these."""

from certtrack.server import hide_gunicorn_version

wsgi_app = "certtrack:create_app()"
bind = "127.0.0.1:8000"
workers = 2
timeout = 30
graceful_timeout = 30
max_requests = 1000
max_requests_jitter = 100
limit_request_line = 8190
limit_request_fields = 100

hide_gunicorn_version()
