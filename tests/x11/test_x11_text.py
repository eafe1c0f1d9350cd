"""Decoding X11 text properties: COMPOUND_TEXT checked against libX11's own encoder, and never an exception."""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop import require, x_server
from middenweg.tracking.platforms.x11 import decode_compound_text, decode_string

pytest_plugins = ["desktop"]

_LC_CTYPE = 0
_COMPOUND_TEXT_STYLE = 1  # XICCEncodingStyle XCompoundTextStyle


class _TextProperty(ctypes.Structure):
    _fields_ = [
        ("value", ctypes.POINTER(ctypes.c_ubyte)),
        ("encoding", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("nitems", ctypes.c_ulong),
    ]


class _Encoder:
    """libX11's Xutf8TextListToTextProperty: how real Xlib programs (xterm, Motif, Tk) write COMPOUND_TEXT."""

    def __init__(self, display: str) -> None:
        path = ctypes.util.find_library("X11")
        if path is None:
            pytest.skip("libX11 is not installed")
        self._x = ctypes.CDLL(path)
        self._libc = ctypes.CDLL(None)
        self._libc.setlocale.restype = ctypes.c_char_p
        self._libc.setlocale.argtypes = [ctypes.c_int, ctypes.c_char_p]
        self._old_locale = self._libc.setlocale(_LC_CTYPE, None)
        self._libc.setlocale(_LC_CTYPE, b"C.UTF-8")
        self._x.XOpenDisplay.restype = ctypes.c_void_p
        self._x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self._x.Xutf8TextListToTextProperty.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int,
            ctypes.c_int,
            ctypes.POINTER(_TextProperty),
        ]
        self._x.XFree.argtypes = [ctypes.c_void_p]
        self._x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self._display = self._x.XOpenDisplay(display.encode())
        assert self._display, f"libX11 could not open {display}"

    def encode(self, text: str) -> bytes | None:
        """The COMPOUND_TEXT bytes, or None when libX11 could not convert every character."""
        items = (ctypes.c_char_p * 1)(text.encode())
        prop = _TextProperty()
        status = self._x.Xutf8TextListToTextProperty(self._display, items, 1, _COMPOUND_TEXT_STYLE, ctypes.byref(prop))
        if status != 0:  # > 0: characters it could not convert; < 0: an error
            if prop.value:
                self._x.XFree(prop.value)
            return None
        data = bytes(prop.value[: prop.nitems])
        self._x.XFree(prop.value)
        return data

    def close(self) -> None:
        self._x.XCloseDisplay(self._display)
        self._libc.setlocale(_LC_CTYPE, self._old_locale)


@pytest.fixture(scope="module")
def libx11(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Encoder]:
    # Module scope: hypothesis runs many examples within one test, and a bare Xvfb is all the encoder needs.
    require("Xvfb")
    with x_server(tmp_path_factory.mktemp("encoder")) as server:
        encoder = _Encoder(server.display)
        yield encoder
        encoder.close()


@pytest.mark.x11
@pytest.mark.parametrize(
    "text",
    [
        "café crème",
        "Ωμέγα Москва",  # ISO 8859-7 and 8859-5 segments
        "日本語テキスト",  # JIS X 0208 in GL
        "한국어 채팅",  # KS C 5601
        "中文聊天",
        "emoji 👋 and שלום and مرحبا",  # UTF-8 segments for what no ISO 2022 set holds
        "tab\tand newline\nkept",
    ],
)
def test_compound_text_from_libx11_decodes_to_the_original(libx11: _Encoder, text: str) -> None:
    data = libx11.encode(text)
    assert data is not None

    assert decode_compound_text(data) == text


_TITLE_CHARS = st.characters(
    blacklist_categories=("Cs", "Cc", "Co", "Cn"),  # no surrogates, controls, private use or unassigned
)


@pytest.mark.x11
@settings(max_examples=150, deadline=None)
@given(text=st.text(_TITLE_CHARS, max_size=40))
def test_any_title_libx11_can_encode_decodes_back(libx11: _Encoder, text: str) -> None:
    data = libx11.encode(text)
    if data is None:
        return  # libX11 itself could not write it: nothing to compare against
    assert decode_compound_text(data) == text


@given(st.binary(max_size=200))
def test_compound_text_never_raises_on_any_bytes(data: bytes) -> None:
    assert isinstance(decode_compound_text(data), str)


@given(st.binary(max_size=200))
def test_string_properties_never_raise_and_keep_every_byte(data: bytes) -> None:
    text = decode_string(data)
    # Latin-1 maps each byte to one character; valid UTF-8 is taken as UTF-8: either way nothing is lost.
    assert text.encode("utf-8") == data or text.encode("latin-1") == data


@given(st.text(_TITLE_CHARS, max_size=40))
def test_compound_text_utf8_segments_round_trip(text: str) -> None:
    assert decode_compound_text(b"\x1b%G" + text.encode() + b"\x1b%@") == text


def test_compound_text_starts_as_ascii_with_latin1_on_the_right() -> None:
    assert decode_compound_text("Zoë Straße".encode("latin-1")) == "Zoë Straße"
