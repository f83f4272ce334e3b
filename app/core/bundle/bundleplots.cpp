#include "core/bundle/bundleplots.h"

#include "core/metrics/memoryseries.h"
#include "core/metrics/metricstore.h"

#include <QBuffer>
#include <QFont>
#include <QFontMetrics>
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QSet>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <vector>

namespace torchlab {

namespace {

constexpr QSize kSize(960, 540);

struct Line
{
    QString name;
    std::vector<double> x;
    std::vector<double> y;
};

struct Plot
{
    QString title;
    QString xLabel;
    QString yLabel;
    QList<Line> lines;
};

QColor seriesColor(int index)
{
    // The lab's light series colours (widgets/plots/plotstyle.cpp).
    static constexpr QRgb colors[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728,
                                      0x9467bd, 0x8c564b, 0xe377c2, 0x17becf};
    return QColor::fromRgb(colors[index % 8]);
}

// "1.5k"-free tick text: plain numbers, at most 4 significant digits.
QString tickText(double v)
{
    return QString::number(v, 'g', 4);
}

// About `count` round tick values between lo and hi.
std::vector<double> ticks(double lo, double hi, int count)
{
    const double span = hi - lo;
    const double raw = span / count;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    std::vector<double> out;
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
        out.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return out;
}

void paint(QPainter &p, const Plot &plot)
{
    const QColor background(Qt::white), foreground(0x33, 0x36, 0x3b), grid(0xdd, 0xdf, 0xe3);
    p.setRenderHint(QPainter::Antialiasing, true);
    p.fillRect(QRect(QPoint(0, 0), kSize), background);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(13);
    QFont titleFont = font;
    titleFont.setPixelSize(17);
    titleFont.setBold(true);
    const QRectF area(80, 48, kSize.width() - 110, kSize.height() - 110);

    double xmin = 0, xmax = 0, ymin = 0, ymax = 0;
    bool any = false;
    for (const Line &l : plot.lines)
        for (size_t i = 0; i < l.x.size(); ++i) {
            if (!std::isfinite(l.y[i]))
                continue;
            xmin = any ? std::min(xmin, l.x[i]) : l.x[i];
            xmax = any ? std::max(xmax, l.x[i]) : l.x[i];
            ymin = any ? std::min(ymin, l.y[i]) : l.y[i];
            ymax = any ? std::max(ymax, l.y[i]) : l.y[i];
            any = true;
        }
    if (xmax <= xmin)
        xmax = xmin + 1;
    if (ymax <= ymin) {
        ymin -= 0.5;
        ymax += 0.5;
    }
    const double pad = (ymax - ymin) * 0.05;
    ymin -= pad;
    ymax += pad;
    const auto mapX = [&](double x) {
        return area.left() + (x - xmin) / (xmax - xmin) * area.width();
    };
    const auto mapY = [&](double y) {
        return area.bottom() - (y - ymin) / (ymax - ymin) * area.height();
    };

    p.setFont(font);
    const QFontMetrics fm(font);
    for (const double t : ticks(ymin, ymax, 6)) {
        const double y = mapY(t);
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(area.left(), y), QPointF(area.right(), y));
        p.setPen(foreground);
        p.drawText(QRectF(0, y - 10, area.left() - 6, 20), Qt::AlignRight | Qt::AlignVCenter,
                   tickText(t));
    }
    for (const double t : ticks(xmin, xmax, 8)) {
        const double x = mapX(t);
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        p.setPen(foreground);
        p.drawText(QRectF(x - 50, area.bottom() + 4, 100, 18), Qt::AlignHCenter | Qt::AlignTop,
                   tickText(t));
    }
    p.setPen(QPen(foreground, 1));
    p.drawRect(area);

    for (int i = 0; i < plot.lines.size(); ++i) {
        const Line &l = plot.lines[i];
        QPainterPath path;
        bool open = false;
        for (size_t k = 0; k < l.x.size(); ++k) {
            if (!std::isfinite(l.y[k])) {
                open = false; // a gap where the value was NaN or infinite
                continue;
            }
            const QPointF pt(mapX(l.x[k]), mapY(l.y[k]));
            if (open)
                path.lineTo(pt);
            else
                path.moveTo(pt);
            open = true;
        }
        p.setPen(QPen(seriesColor(i), 1.6));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        if (l.x.size() == 1 && std::isfinite(l.y[0])) {
            p.setBrush(seriesColor(i));
            p.drawEllipse(QPointF(mapX(l.x[0]), mapY(l.y[0])), 3, 3);
        }
    }
    // Legend, top right, when several lines share the plot.
    if (plot.lines.size() > 1) {
        double y = area.top() + 8;
        for (int i = 0; i < plot.lines.size(); ++i) {
            const double w = fm.horizontalAdvance(plot.lines[i].name);
            const double x = area.right() - w - 36;
            p.setPen(QPen(seriesColor(i), 2));
            p.drawLine(QPointF(x, y + 8), QPointF(x + 20, y + 8));
            p.setPen(foreground);
            p.drawText(QPointF(x + 26, y + 13), plot.lines[i].name);
            y += 20;
        }
    }
    p.setPen(foreground);
    p.setFont(titleFont);
    p.drawText(QRectF(0, 10, kSize.width(), 30), Qt::AlignHCenter | Qt::AlignVCenter, plot.title);
    p.setFont(font);
    p.drawText(QRectF(area.left(), kSize.height() - 34, area.width(), 24), Qt::AlignHCenter,
               plot.xLabel);
    p.save();
    p.translate(18, area.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-area.height() / 2, -10, area.height(), 20), Qt::AlignHCenter, plot.yLabel);
    p.restore();
}

QByteArray png(const Plot &plot)
{
    QImage image(kSize, QImage::Format_RGB32);
    {
        QPainter p(&image);
        paint(p, plot);
    }
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray svg(const Plot &plot)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(kSize);
    generator.setViewBox(QRect(QPoint(0, 0), kSize));
    generator.setTitle(plot.title);
    generator.setDescription(QStringLiteral("TorchLab run bundle"));
    {
        QPainter p(&generator);
        paint(p, plot);
    }
    return bytes;
}

// A file name from a metric name: ASCII letters, digits, '-' and '_'.
QString fileStem(const QString &name, QSet<QString> *used)
{
    QString stem;
    for (const QChar c : name)
        stem += c.isLetterOrNumber() && c.unicode() < 0x80 ? c.toLower() : QLatin1Char('_');
    if (stem.isEmpty())
        stem = QStringLiteral("metric");
    stem = QStringLiteral("metric-") + stem.left(60);
    QString unique = stem;
    for (int n = 2; used->contains(unique); ++n)
        unique = stem + QLatin1Char('-') + QString::number(n);
    used->insert(unique);
    return unique;
}

} // namespace

QList<BundleFile> renderBundlePlots(const MetricStore &metrics, const MemorySeriesStore &memory)
{
    QList<BundleFile> files;
    QSet<QString> used;
    const auto add = [&files](const QString &stem, const Plot &plot) {
        files.append({stem + QStringLiteral(".png"), png(plot)});
        files.append({stem + QStringLiteral(".svg"), svg(plot)});
    };
    for (int id = 0; id < metrics.seriesCount(); ++id) {
        const MetricSeries &s = metrics.series(id);
        if (s.size() == 0)
            continue;
        Line line{s.name, {}, s.values};
        line.x.assign(s.steps.begin(), s.steps.end());
        add(fileStem(s.name, &used), Plot{s.name, QStringLiteral("step"), s.name, {line}});
    }
    if (!memory.isEmpty()) {
        Plot plot{QStringLiteral("memory"), QStringLiteral("time (s)"), QStringLiteral("MiB"), {}};
        for (int c = 0; c < MemorySeriesStore::CurveCount; ++c) {
            const auto curve = MemorySeriesStore::Curve(c);
            const MemorySeriesStore::Series &s = memory.curve(curve);
            if (s.size() == 0)
                continue;
            Line line{QString::fromLatin1(MemorySeriesStore::curveKey(curve)), {}, {}};
            for (qsizetype i = 0; i < s.size(); ++i) {
                line.x.push_back(double(s.timeMs[size_t(i)]) / 1000.0);
                line.y.push_back(s.bytes[size_t(i)] / double(1 << 20));
            }
            plot.lines.append(line);
        }
        add(QStringLiteral("memory"), plot);
    }
    return files;
}

} // namespace torchlab
