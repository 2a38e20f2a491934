"""The form renderer: Django's Jinja2 widget templates first, the Django-template ones
as the fallback.

Django renders every widget, and every option of a radio group, from a template.
Through the Django template language a radio chip costs about 0.1 ms; the log form
has about a hundred of them, so its widgets were a third of the page's time
(docs/architecture.md, "Forms at speed"). Django ships the same widget templates for
Jinja2 (django/forms/jinja2/), which compiles them to Python functions: several times
faster, the same HTML.

A template Jinja2 does not have (the admin's widgets, the project's own
includes/select.html and autocomplete widget) comes from the project's TEMPLATES setting,
as before. Which engine holds a name is looked up once per process.
"""

from django.forms.renderers import BaseRenderer, Jinja2, TemplatesSetting
from django.template import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    def __init__(self):
        self.jinja2 = Jinja2()
        self.templates = TemplatesSetting()
        self.only_in_templates: set[str] = set()

    def get_template(self, template_name):
        if template_name not in self.only_in_templates:
            try:
                return self.jinja2.get_template(template_name)
            except TemplateDoesNotExist:
                self.only_in_templates.add(template_name)
        return self.templates.get_template(template_name)
