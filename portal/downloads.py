from django.utils.http import content_disposition_header


def as_download(response, filename: str, *, private: bool = True):
    """Headers of every file the portal hands out: saved, never rendered, and — for files whose access
    depends on the person — kept by no shared cache."""
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
    return response
