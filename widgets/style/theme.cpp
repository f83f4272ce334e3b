#include "widgets/style/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace torchlab {

namespace {

QPalette darkPalette()
{
    // Fusion's own dark scheme values, tuned for contrast on code and plots.
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor text(0xdf, 0xe1, 0xe5);
    const QColor disabled(0x7f, 0x84, 0x8e);
    const QColor highlight(0x2f, 0x6f, 0xd0);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xb0, 0x8c, 0xff));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x3c, 0x3f, 0x45));
    p.setColor(QPalette::Dark, QColor(0x17, 0x18, 0x1a));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x53));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

} // namespace

bool applyTheme(QApplication &app, LabSettings::Theme theme)
{
    // Fusion draws the same on every platform and honours palettes fully.
    app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    switch (theme) {
    case LabSettings::Theme::Dark:
        app.setPalette(darkPalette());
        return true;
    case LabSettings::Theme::Light:
        app.setPalette(app.style()->standardPalette());
        return false;
    case LabSettings::Theme::System:
        break;
    }
    app.setPalette(app.style()->standardPalette());
    return isDark(app.palette());
}

} // namespace torchlab
