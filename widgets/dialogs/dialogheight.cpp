#include "widgets/dialogs/dialogheight.h"

#include <QEvent>
#include <QLayout>
#include <QWidget>

namespace torchlab {

namespace {

class HeightForWidthFilter : public QObject
{
public:
    explicit HeightForWidthFilter(QWidget *window) : QObject(window), m_window(window) {}

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_window &&
            (event->type() == QEvent::Show || event->type() == QEvent::Resize ||
             event->type() == QEvent::LayoutRequest))
            fit();
        return false;
    }

private:
    void fit()
    {
        QLayout *layout = m_window->layout();
        if (!layout || !layout->hasHeightForWidth())
            return;
        const int needed = layout->totalHeightForWidth(m_window->width());
        // setMinimumHeight() also grows a window that is shorter than that.
        if (needed > 0 && m_window->minimumHeight() != needed)
            m_window->setMinimumHeight(needed);
    }

    QWidget *m_window;
};

} // namespace

void keepHeightForWidth(QWidget *window)
{
    window->installEventFilter(new HeightForWidthFilter(window));
}

} // namespace torchlab
