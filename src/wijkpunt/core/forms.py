"""Form rendering helpers: give widgets the NL Design System (Utrecht) classes."""

from __future__ import annotations

from django import forms
from django.forms.widgets import Input

WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.FileInput: "utrecht-file-input",
    Input: "utrecht-textbox utrecht-textbox--html-input",
}


class UtrechtFormMixin:
    """Adds the Utrecht component classes to every widget of the form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            for widget_class, css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_class):
                    existing = widget.attrs.get("class", "")
                    widget.attrs["class"] = f"{existing} {css}".strip()
                    break
