"""Plots of what :class:`~speechface.SpeechToFace` finds: the emotion over time in a long clip.

matplotlib is imported when a plot is drawn, so that ``import speechface`` stays fast.
"""

from __future__ import annotations

import os

import numpy as np
from sklearn.utils import Bunch

from speechface.labels import FER_EMOTIONS

#: one colour per FER-2013 emotion, the same in every plot (and in the web app's chart)
EMOTION_COLOURS = dict(zip(FER_EMOTIONS, ("#d62728", "#8c564b", "#9467bd", "#ffbf00", "#1f77b4", "#2ca02c", "#a0a0a0")))

#: most faces drawn along a timeline; longer ones get faces of windows spread evenly over time
MAX_FACES_SHOWN = 12

_FACE_PT = 44  # drawn size of a face in points (73 px at 120 dpi), less when faces would overlap


def _curve(timeline: Bunch) -> tuple[np.ndarray, np.ndarray]:
    """x (window centres, s) and probabilities to draw; a single window spans its own bounds."""
    if len(timeline.start) == 1:
        return np.array([timeline.start[0], timeline.end[0]]), np.repeat(timeline.proba, 2, axis=0)
    return (timeline.start + timeline.end) / 2, timeline.proba


def _spread(centres: np.ndarray) -> np.ndarray:
    """Indices of the windows nearest to MAX_FACES_SHOWN times spread evenly over ``centres``."""
    targets = np.linspace(centres[0], centres[-1], min(len(centres), MAX_FACES_SHOWN))
    return np.unique(np.abs(centres[None, :] - targets[:, None]).argmin(axis=1))


def _draw_faces(ax, timeline: Bunch, pt_per_s: float) -> np.ndarray:
    """Each shown window's first face at its centre, its emotion under it; returns the centres."""
    from matplotlib.colors import Normalize
    from matplotlib.offsetbox import AnnotationBbox, OffsetImage

    centres = (timeline.start + timeline.end) / 2
    shown = _spread(centres)
    gap = np.diff(centres[shown]).min() * pt_per_s if len(shown) > 1 else np.inf
    size = min(_FACE_PT, 0.9 * gap)
    ax.set_ylim(0, 1)
    ax.axis("off")
    for i in shown:
        image = OffsetImage(timeline.faces[i, 0], zoom=size / 48, cmap="gray", norm=Normalize(0, 255))
        ax.add_artist(AnnotationBbox(image, (centres[i], 1), box_alignment=(0.5, 1), frameon=False, pad=0))
        ax.annotate(
            str(timeline.emotion[i]),
            (centres[i], 1),
            xytext=(0, -size - 2),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=8,
        )
    return centres[shown]


def plot_timeline(timeline: Bunch, path: str | os.PathLike, faces: bool = True) -> None:
    """Draw a clip's emotion over time as a stacked-area plot, faces along it, and save it as PNG.

    The plot is drawn off screen (matplotlib's Agg), without pyplot: it
    works without a display and leaves the user's matplotlib backend alone.

    Parameters
    ----------
    timeline : Bunch
        The output of :meth:`speechface.SpeechToFace.timeline`.
    path : str or path-like
        The PNG file to write.
    faces : bool, default=True
        Draw the first face of each window above the plot at the window's
        time, labelled with its emotion, when the timeline has ``faces``; of
        at most 12 windows spread evenly over time when there are more.
    """
    from matplotlib.figure import Figure  # drawn with Agg; pyplot and the user's backend are left alone

    with_faces = faces and "faces" in timeline
    fig = Figure(figsize=(10, 5.2 if with_faces else 4))
    axes = fig.subplots(
        2 if with_faces else 1,
        1,
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": [1, 4] if with_faces else [1]},
    )
    plot = axes[-1, 0]
    x, proba = _curve(timeline)
    names = [str(c) for c in timeline.classes]
    plot.stackplot(x, proba.T, labels=names, colors=[EMOTION_COLOURS[name] for name in names], alpha=0.9)
    plot.set(xlim=(x[0], x[-1]), ylim=(0, 1), xlabel="time in the clip (s)", ylabel="probability")
    plot.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, title="emotion")
    n, window = len(timeline.start), float(np.max(timeline.end - timeline.start))
    axes[0, 0].set_title(f"Emotion over time: {n} window{'s' * (n > 1)} of {window:.3g} s")
    if with_faces:
        fig.tight_layout(h_pad=0.2)
        width_pt = plot.get_window_extent().width * 72 / fig.dpi
        for centre in _draw_faces(axes[0, 0], timeline, width_pt / (x[-1] - x[0])):
            plot.axvline(centre, color="black", linewidth=0.6, linestyle=":", alpha=0.6)
    fig.savefig(path, dpi=120, bbox_inches="tight", format="png")
