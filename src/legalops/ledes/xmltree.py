"""A small element tree with line numbers and XPath-like paths, built through defusedxml.

ElementTree does not report where an element starts; the SAX interface does, so the tree is
built from SAX events. defusedxml refuses entity declarations and external references (billion
laughs, XXE): LEDES XML never needs them.
"""

from __future__ import annotations

import io
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

from defusedxml import DefusedXmlException
from defusedxml import sax as defused_sax


class Node:
    """An element: local tag name (namespace removed), text, children, start line and path."""

    __slots__ = ("tag", "namespace", "parts", "children", "line", "path", "attrs")

    def __init__(
        self, tag: str, namespace: str, line: int, path: str, attrs: dict[str, str]
    ) -> None:
        self.tag = tag
        self.namespace = namespace
        self.parts: list[str] = []
        self.children: list[Node] = []
        self.line = line
        self.path = path
        self.attrs = attrs

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def all(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def first(self, *tags: str) -> Node | None:
        """The first child named by any of `tags` (aliases across versions)."""
        for child in self.children:
            if child.tag in tags:
                return child
        return None

    def value(self, *tags: str) -> str:
        """Text of the first matching child; '' when absent."""
        node = self.first(*tags)
        return node.text if node is not None else ""


class _Builder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root: Node | None = None
        self._stack: list[Node] = []
        self._counts: list[dict[str, int]] = [{}]
        self._locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 - SAX API name
        self._locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:  # noqa: N802
        prefix, _, local = name.rpartition(":")
        counts = self._counts[-1]
        counts[local] = counts.get(local, 0) + 1
        parent_path = self._stack[-1].path if self._stack else ""
        path = f"{parent_path}/{local}[{counts[local]}]" if self._stack else f"/{local}"
        line = (self._locator.getLineNumber() if self._locator is not None else None) or 0
        node = Node(
            local, attrs.get(f"xmlns:{prefix}" if prefix else "xmlns", ""), line, path, dict(attrs)
        )
        if self._stack:
            self._stack[-1].children.append(node)
        else:
            self.root = node
        self._stack.append(node)
        self._counts.append({})

    def endElement(self, name: str) -> None:  # noqa: N802
        self._stack.pop()
        self._counts.pop()

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1].parts.append(content)


class XmlProblem(Exception):
    """Malformed or unsafe XML; `line` where the parser stopped, if known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def parse_tree(data: bytes) -> Node:
    """Parse `data` into a Node tree or raise XmlProblem (never another exception)."""
    builder = _Builder()
    parser = defused_sax.make_parser()
    parser.setContentHandler(builder)
    try:
        parser.parse(io.BytesIO(data))
    except SAXParseException as exc:
        raise XmlProblem(
            f"the XML is not well-formed: {exc.getMessage()}", exc.getLineNumber()
        ) from None
    except DefusedXmlException as exc:
        raise XmlProblem(
            f"unsafe XML refused ({type(exc).__name__}): LEDES files must not "
            "declare entities, DTDs or external references",
            None,
        ) from None
    except (SAXException, ValueError, LookupError) as exc:
        raise XmlProblem(f"the XML cannot be read: {exc}", None) from None
    if builder.root is None:
        raise XmlProblem("the XML has no root element", None)
    return builder.root
