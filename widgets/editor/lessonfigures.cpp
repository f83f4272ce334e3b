#include "widgets/editor/lessonfigures.h"

#include "core/course/lessonlinks.h"

#include <QBuffer>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QRegularExpression>
#include <QScreen>
#include <QSvgRenderer>

namespace torchlab {

namespace {

// A figure file is read whole: anything larger is not a lesson figure.
constexpr qint64 FigureBytes = 2 * 1024 * 1024;
// The largest side, in pixels, of a figure as stored or drawn (a small
// compressed PNG can claim an enormous size).
constexpr int FigureSide = 8192;
// The white margin around a figure in its own window.
constexpr int WindowMargin = 12;

// QtSvg reads an <image> element's file from wherever it points; a lesson
// figure draws itself, so such an SVG is refused before QtSvg sees it.
bool referencesOtherFiles(const QByteArray &svg)
{
    static const QRegularExpression image(QStringLiteral("<\\s*([\\w.-]+:)?image[\\s/>]"),
                                          QRegularExpression::CaseInsensitiveOption);
    return QString::fromUtf8(svg).contains(image);
}

// One figure, large: drawn afresh at the window's size, so an SVG stays
// sharp at any size; its shape never changes, white shows around it.
class FigureWindow : public QDialog
{
public:
    FigureWindow(std::shared_ptr<QSvgRenderer> svg, const QImage &raster, const QSizeF &natural,
                 QWidget *parent)
        : QDialog(parent), m_svg(std::move(svg)), m_raster(raster), m_natural(natural)
    {
        setAttribute(Qt::WA_DeleteOnClose);
        setSizeGripEnabled(true);
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        painter.fillRect(rect(), Qt::white);
        const QSizeF room = QSizeF(size()) - QSizeF(2 * WindowMargin, 2 * WindowMargin);
        const QSizeF shown = m_natural.scaled(room, Qt::KeepAspectRatio);
        const QRectF target(QPointF((width() - shown.width()) / 2, (height() - shown.height()) / 2),
                            shown);
        if (m_svg) {
            m_svg->render(&painter, target);
        } else {
            painter.setRenderHint(QPainter::SmoothPixmapTransform);
            painter.drawImage(target, m_raster);
        }
    }

private:
    std::shared_ptr<QSvgRenderer> m_svg;
    QImage m_raster;
    QSizeF m_natural;
};

} // namespace

void LessonFigures::setFolder(const QString &folder)
{
    m_folder = folder;
    m_figures.clear();
}

bool LessonFigures::isRelativeName(const QString &name)
{
    const QUrl url(name);
    return !name.isEmpty() && url.isValid() && url.scheme().isEmpty() &&
           url.authority().isEmpty() && !QDir::isAbsolutePath(url.path());
}

QString LessonFigures::path(const QUrl &url) const
{
    // The rule for files is LessonLinks': a regular file inside the folder,
    // resolved canonically (a `..` or a link that leaves it is refused).
    const QString file = LessonLinks(m_folder).filePath(url);
    if (file.isEmpty() || QFileInfo(file).size() > FigureBytes)
        return {};
    return file;
}

LessonFigures::Figure *LessonFigures::find(const QUrl &url)
{
    const QString file = path(url);
    if (file.isEmpty())
        return nullptr;
    auto known = m_figures.find(file);
    if (known == m_figures.end())
        known = m_figures.insert(file, read(file));
    return known->natural.isEmpty() ? nullptr : &*known;
}

LessonFigures::Figure LessonFigures::read(const QString &path)
{
    Figure figure;
    // Checked again on the open file: a FIFO or device put in its place
    // after path() is never read.
    const QByteArray bytes = LessonLinks::readRegularFile(path, FigureBytes).value_or(QByteArray());
    if (bytes.isEmpty())
        return figure;
    if (path.endsWith(QStringLiteral(".svg"), Qt::CaseInsensitive)) {
        if (referencesOtherFiles(bytes))
            return figure;
        auto svg = std::make_shared<QSvgRenderer>(bytes);
        const QRectF box = svg->viewBoxF();
        const QSize size = svg->defaultSize();
        if (!svg->isValid() || box.isEmpty() || size.isEmpty())
            return figure;
        figure.svg = svg;
        // The view box's shape: the drawing is never stretched.
        figure.natural = QSizeF(size.width(), size.width() * box.height() / box.width());
    } else {
        QBuffer buffer;
        buffer.setData(bytes);
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer);
        const QSize size = reader.size();
        // An SVG under another name would get past the check above.
        if (reader.format().startsWith("svg") || !size.isValid() || size.width() > FigureSide ||
            size.height() > FigureSide)
            return figure;
        figure.raster = reader.read();
        figure.natural = figure.raster.deviceIndependentSize();
    }
    if (figure.natural.width() > FigureSide || figure.natural.height() > FigureSide)
        return Figure();
    return figure;
}

QSizeF LessonFigures::naturalSize(const QUrl &url)
{
    const Figure *figure = find(url);
    return figure ? figure->natural : QSizeF();
}

QPixmap LessonFigures::draw(const QUrl &url, const QSize &size, qreal ratio)
{
    Figure *figure = find(url);
    if (!figure)
        return {};
    if (!figure->drawn.isNull() && figure->drawnSize == size && figure->drawnRatio == ratio)
        return figure->drawn;
    // Drawn at the size it is shown and at the screen's pixel density, so
    // lines and text stay sharp (a scaled pixmap would blur or alias).
    const QSize pixels(qBound(1, qRound(size.width() * ratio), FigureSide),
                       qBound(1, qRound(size.height() * ratio), FigureSide));
    QImage image;
    if (figure->svg) {
        image = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        figure->svg->render(&painter, QRectF(QPointF(0, 0), QSizeF(pixels)));
    } else if (figure->raster.size() == pixels) {
        image = figure->raster;
    } else {
        image = figure->raster.scaled(pixels, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    }
    image.setDevicePixelRatio(ratio);
    figure->drawn = QPixmap::fromImage(image);
    figure->drawnSize = size;
    figure->drawnRatio = ratio;
    return figure->drawn;
}

QWidget *LessonFigures::openWindow(const QUrl &url, const QString &title, QWidget *parent)
{
    const Figure *figure = find(url);
    if (!figure)
        return nullptr;
    auto *window = new FigureWindow(figure->svg, figure->raster, figure->natural, parent);
    window->setWindowTitle(title);
    // Half again its own size, within nine tenths of the screen.
    const QScreen *screen = parent ? parent->screen() : nullptr;
    const QSizeF available =
        screen ? QSizeF(screen->availableGeometry().size()) : QSizeF(1280, 720);
    const QSizeF margins(2 * WindowMargin, 2 * WindowMargin);
    const QSizeF room = available * 0.9 - margins;
    QSizeF size = figure->natural * 1.5;
    if (size.width() > room.width() || size.height() > room.height())
        size = size.scaled(room, Qt::KeepAspectRatio);
    window->resize((size + margins).toSize());
    window->show();
    return window;
}

} // namespace torchlab
