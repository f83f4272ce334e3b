#include "widgets/plots/plotstyle.h"

#include "widgets/plots/qcp.h"

#include <array>

namespace torchlab::plotstyle {

Colors colors(bool dark)
{
    if (dark)
        return {QColor(0x1e, 0x1f, 0x22), QColor(0xc9, 0xcc, 0xd1), QColor(0x3a, 0x3d, 0x42),
                QColor(0x2a, 0x2c, 0x30), QColor(0x8a, 0x8f, 0x98), QColor(0xff, 0x6b, 0x6b)};
    return {QColor(Qt::white),        QColor(0x33, 0x36, 0x3b), QColor(0xdd, 0xdf, 0xe3),
            QColor(0xee, 0xef, 0xf1), QColor(0x80, 0x85, 0x8d), QColor(0xd0, 0x24, 0x24)};
}

QColor seriesColor(int index, bool dark)
{
    // Tableau-like hues; the dark set is lighter so that thin faint lines stay visible.
    static constexpr std::array<QRgb, 8> light{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728,
                                               0x9467bd, 0x8c564b, 0xe377c2, 0x17becf};
    static constexpr std::array<QRgb, 8> darkSet{0x5aa9f0, 0xffa24d, 0x63c874, 0xf26b6b,
                                                 0xb99af0, 0xc99a84, 0xf09ad6, 0x4fd6e3};
    const auto &set = dark ? darkSet : light;
    return QColor::fromRgb(set[size_t(index) % set.size()]);
}

void apply(QCustomPlot *plot, bool dark)
{
    const Colors c = colors(dark);
    plot->setBackground(c.background);
    plot->axisRect()->setBackground(c.background);
    for (QCPAxis *axis : plot->axisRect()->axes()) {
        axis->setBasePen(QPen(c.foreground, 1));
        axis->setTickPen(QPen(c.foreground, 1));
        axis->setSubTickPen(QPen(c.foreground, 1));
        axis->setTickLabelColor(c.foreground);
        axis->setLabelColor(c.foreground);
        axis->grid()->setPen(QPen(c.grid, 1, Qt::SolidLine));
        axis->grid()->setSubGridPen(QPen(c.subGrid, 1, Qt::DotLine));
        axis->grid()->setZeroLinePen(QPen(c.grid, 1));
    }
    QColor legendBrush = c.background;
    legendBrush.setAlpha(220);
    plot->legend->setBrush(legendBrush);
    plot->legend->setBorderPen(QPen(c.grid));
    plot->legend->setTextColor(c.foreground);
}

void applyScale(QCustomPlot *plot, const QFont &base, double scale)
{
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * scale);
    QFont label = font;
    for (QCPAxis *axis : plot->axisRect()->axes()) {
        axis->setTickLabelFont(font);
        axis->setLabelFont(label);
    }
    plot->legend->setFont(font);
    for (int i = 0; i < plot->legend->itemCount(); ++i) {
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(plot->legend->item(i)))
            item->setFont(font);
    }
    plot->legend->setIconSize(QSize(int(32 * scale), int(18 * scale)));
}

} // namespace torchlab::plotstyle
