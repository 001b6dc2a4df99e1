"""Non-overlapping event labels: greedy stacking into levels, measured with the real renderer."""

from __future__ import annotations

from matplotlib.axes import Axes


def stack_labels(ax: Axes, xs: list[float], texts: list[str], colors: list[str], *,
                 fontsize: float = 8, gap_px: float = 8) -> int:
    """Place each text at its x (data units) on the lowest level where it overlaps nothing.

    Levels are y = 0, 1, 2, ... in ax's data coordinates; the caller sizes the axis from the
    returned level count. A label that would run past the right edge is right-aligned instead, and one too wide for
    either side is shortened: no text leaves its panel.
    Labels are placed right to left: text runs rightwards from its own stem, so a stem drawn down
    from a higher level always passes left of the (later-dated) labels below it, never through them.
    """
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ax_box = ax.get_window_extent(renderer)
    occupied: list[list[tuple[float, float]]] = []
    order = sorted(range(len(xs)), key=lambda i: xs[i], reverse=True)
    placed = []
    for i in order:
        text = ax.text(xs[i], 0, "  " + texts[i], fontsize=fontsize, va="center", ha="left",
                       color="#222222", clip_on=False)
        x_px = ax.transData.transform((xs[i], 0))[0]
        label = texts[i]
        while True:
            width = text.get_window_extent(renderer).width
            if x_px + width <= ax_box.x1:
                span = (x_px, x_px + width)
                break
            text.set_text(label + "  ")
            text.set_ha("right")
            width = text.get_window_extent(renderer).width
            if x_px - width >= ax_box.x0 or len(label) <= 4:
                span = (x_px - width, x_px)
                break
            # Wider than the room on either side of its stem: shorten it, so no text leaves its panel.
            label = label[: max(4, int(len(label) * 0.8)) - 1].rstrip() + "\u2026"
            text.set_text("  " + label)
            text.set_ha("left")
        level = 0
        while level < len(occupied) and any(span[0] < b + gap_px and a < span[1] + gap_px for a, b in occupied[level]):
            level += 1
        if level == len(occupied):
            occupied.append([])
        occupied[level].append(span)
        text.set_y(level)
        placed.append((xs[i], level, colors[i]))
    for x, level, color in placed:
        ax.plot([x, x], [-0.6, level], color=color, linewidth=0.8, alpha=0.6, clip_on=False)
        ax.plot([x], [level], marker="o", markersize=5, color=color, clip_on=False)
    levels = max(1, len(occupied))
    ax.set_ylim(-0.6, levels - 0.4)
    return levels
