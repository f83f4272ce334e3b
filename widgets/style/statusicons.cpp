#include "widgets/style/statusicons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPalette>

namespace torchlab {

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

QColor statusColor(StatusGlyph glyph, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (glyph) {
    case StatusGlyph::Passed:
        return dark ? QColor(0x4c, 0xc3, 0x6a) : QColor(0x1e, 0x8e, 0x3e);
    case StatusGlyph::Failed:
    case StatusGlyph::Error:
        return dark ? QColor(0xf2, 0x6b, 0x6b) : QColor(0xc5, 0x22, 0x1f);
    case StatusGlyph::Warning:
        return dark ? QColor(0xf0, 0xb4, 0x29) : QColor(0xc2, 0x7c, 0x0e);
    case StatusGlyph::Info:
    case StatusGlyph::Running:
        return dark ? QColor(0x6c, 0xa8, 0xff) : QColor(0x1a, 0x73, 0xe8);
    case StatusGlyph::Half:
        return dark ? QColor(0xf0, 0xb4, 0x29) : QColor(0xe3, 0x8b, 0x06);
    case StatusGlyph::Empty:
        break;
    }
    QColor c = palette.color(QPalette::Text);
    c.setAlphaF(0.45);
    return c;
}

QPixmap statusPixmap(StatusGlyph glyph, int size, qreal devicePixelRatio, const QPalette &palette)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);

    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor colour = statusColor(glyph, palette);
    const qreal s = size;
    const qreal pen = qMax(1.2, s / 11.0);
    const QRectF circle(pen / 2 + s * 0.08, pen / 2 + s * 0.08, s * 0.84 - pen, s * 0.84 - pen);
    const QColor mark = Qt::white;

    auto strokeMark = [&](const QPainterPath &path) {
        QPen markPen(mark, qMax(1.5, s / 8.0), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        p.setPen(markPen);
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    };

    switch (glyph) {
    case StatusGlyph::Empty:
        p.setPen(QPen(colour, pen));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(circle);
        break;
    case StatusGlyph::Half: {
        p.setPen(QPen(colour, pen));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(circle);
        // The left half filled: started, not finished.
        QPainterPath half;
        half.moveTo(circle.center());
        half.arcTo(circle, 90, 180);
        half.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawPath(half);
        break;
    }
    case StatusGlyph::Passed: {
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawEllipse(circle);
        QPainterPath tick;
        tick.moveTo(s * 0.30, s * 0.52);
        tick.lineTo(s * 0.44, s * 0.65);
        tick.lineTo(s * 0.70, s * 0.36);
        strokeMark(tick);
        break;
    }
    case StatusGlyph::Failed:
    case StatusGlyph::Error: {
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawEllipse(circle);
        QPainterPath cross;
        cross.moveTo(s * 0.35, s * 0.35);
        cross.lineTo(s * 0.65, s * 0.65);
        cross.moveTo(s * 0.65, s * 0.35);
        cross.lineTo(s * 0.35, s * 0.65);
        strokeMark(cross);
        break;
    }
    case StatusGlyph::Warning: {
        QPainterPath triangle;
        triangle.moveTo(s * 0.5, s * 0.08);
        triangle.lineTo(s * 0.95, s * 0.88);
        triangle.lineTo(s * 0.05, s * 0.88);
        triangle.closeSubpath();
        p.setPen(QPen(colour, pen * 0.8, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(colour);
        p.drawPath(triangle);
        QPainterPath bang;
        bang.moveTo(s * 0.5, s * 0.36);
        bang.lineTo(s * 0.5, s * 0.60);
        bang.moveTo(s * 0.5, s * 0.75);
        bang.lineTo(s * 0.5, s * 0.76);
        strokeMark(bang);
        break;
    }
    case StatusGlyph::Info: {
        p.setPen(Qt::NoPen);
        p.setBrush(colour);
        p.drawEllipse(circle);
        QPainterPath i;
        i.moveTo(s * 0.5, s * 0.30);
        i.lineTo(s * 0.5, s * 0.31);
        i.moveTo(s * 0.5, s * 0.45);
        i.lineTo(s * 0.5, s * 0.70);
        strokeMark(i);
        break;
    }
    case StatusGlyph::Running: {
        p.setPen(QPen(colour, pen * 1.4, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        p.drawArc(circle, 90 * 16, -270 * 16);
        break;
    }
    }
    return pixmap;
}

QIcon statusIcon(StatusGlyph glyph, const QPalette &palette)
{
    QIcon icon;
    // Plain pixmaps at several sizes: QIcon picks the nearest for the
    // requested size times the screen's device pixel ratio.
    for (int size : {16, 20, 24, 32, 48, 64})
        icon.addPixmap(statusPixmap(glyph, size, 1.0, palette));
    return icon;
}

} // namespace torchlab
