"""Idle time from the first of several sources that can tell: KDE Plasma gives it over org.freedesktop.ScreenSaver on
X11 but refuses in a Wayland session, where KWin offers the Wayland idle protocol instead."""

from __future__ import annotations

from middenweg.tracking.probes import IdleProbe, IdleReading


class IdleChain:
    """IdleProbe asking ``probes`` in order and answering with the first OK reading; the one that answered last is
    asked first next time, so a working source costs one question a tick. When none can tell, the first one's
    reading (its reason) is the answer. ``name`` is the source that answered last."""

    def __init__(self, *probes: IdleProbe) -> None:
        if not probes:
            raise ValueError("an idle chain needs at least one probe")
        self._probes = list(probes)
        self._preferred = 0
        self.name = probes[0].name

    def idle(self) -> IdleReading:
        order = [self._preferred] + [i for i in range(len(self._probes)) if i != self._preferred]
        failed: dict[int, IdleReading] = {}
        for index in order:
            reading = self._probes[index].idle()
            if reading.status.ok:
                self._preferred, self.name = index, self._probes[index].name
                return reading
            failed[index] = reading
        self.name = self._probes[0].name
        return failed[0]

    def close(self) -> None:
        for probe in self._probes:
            probe.close()
