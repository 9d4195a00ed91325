"""The blank mapping template: a page with the download buttons and every file's columns explained (in
the reader's language, as the workbook's instructions sheet explains them), and the download itself.

``/imports/template/`` shows the page; ``/imports/template/?format=xlsx`` (or ``csv``) downloads the file
made by ``sswis.imports.template.template_write``. Only users who may import get either (national data
managers, subnational officers, organisation focal points); anonymous visitors go to the login page,
other roles get 403.
"""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponseBase
from django.shortcuts import render

from sswis.imports.template import DEFAULT_ROWS, TEMPLATE_FORMATS, template_reference, template_spooled
from sswis.web.decorators import imports_required


@imports_required
def mapping_template_view(request: HttpRequest) -> HttpResponseBase:
    """The page (no ``format``), the file (``format=xlsx|csv``), or the page with 400 for another format."""
    context = {
        "nav": "imports",
        "formats": TEMPLATE_FORMATS.values(),
        "rows": DEFAULT_ROWS,
        "files": template_reference(),
    }
    requested = request.GET.get("format")
    if requested is None:
        return render(request, "web/imports/template.html", context)
    try:
        chosen, stream = template_spooled(format=requested)
    except ValueError as problem:
        return render(request, "web/imports/template.html", {**context, "problem": problem}, status=400)
    # FileResponse sends the file in blocks and closes it when done.
    return FileResponse(stream, as_attachment=True, filename=chosen.filename, content_type=chosen.media_type)
