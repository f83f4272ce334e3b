#include "widgets/dialogs/packsdialog.h"

#include "widgets/style/statusicons.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace torchlab {

namespace {

constexpr int IdRole = Qt::UserRole;
constexpr int BuiltInRole = Qt::UserRole + 1;
constexpr int OpenRole = Qt::UserRole + 2;

enum PackColumn
{
    PackName,
    PackVersion,
    PackUpdate,
    PackSource,
    PackKey,
    PackInstalled,
    PackColumnCount
};

enum FeedColumn
{
    FeedUrl,
    FeedChecked,
    FeedStatus,
    FeedColumnCount
};

QString localTime(const QDateTime &utc)
{
    return QLocale().toString(utc.toLocalTime(), QLocale::ShortFormat);
}

// The empty state of a list: a plain sentence in the middle of its viewport,
// under the header, so the columns still say what the list will hold.
QLabel *addEmptyLabel(QTreeWidget *tree, const QString &text)
{
    auto *label = new QLabel(text, tree->viewport());
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    label->setForegroundRole(QPalette::PlaceholderText);
    label->setContentsMargins(12, 12, 12, 12);
    auto *layout = new QVBoxLayout(tree->viewport());
    layout->addWidget(label);
    return label;
}

// Rows with a little air, the same with or without a status icon.
QSize rowSize(const QTreeWidget *tree)
{
    // Width 0: a negative width would make Qt ignore the hint; the columns are
    // sized by the header (stretch) anyway.
    return QSize(0, qMax(tree->fontMetrics().height() + 8, 22));
}

QTreeWidget *makeTree(QWidget *parent, const QStringList &headers)
{
    auto *tree = new QTreeWidget(parent);
    tree->setHeaderLabels(headers);
    tree->setRootIsDecorated(false);
    tree->setUniformRowHeights(true);
    tree->setAllColumnsShowFocus(true);
    tree->setSelectionMode(QAbstractItemView::SingleSelection);
    tree->setTextElideMode(Qt::ElideMiddle);
    tree->header()->setStretchLastSection(false);
    return tree;
}

} // namespace

PacksDialog::PacksDialog(QWidget *parent)
    : QDialog(parent), m_packs(makeTree(this, {tr("Pack"), tr("Version"), tr("Update"),
                                               tr("Source"), tr("Key"), tr("Installed")})),
      m_feeds(makeTree(this, {tr("Feed"), tr("Last checked"), tr("Status")})),
      m_install(new QPushButton(tr("Install from File…"), this)),
      m_subscribe(new QPushButton(tr("Subscribe…"), this)),
      m_update(new QPushButton(tr("Check for Updates"), this)),
      m_remove(new QPushButton(tr("Remove…"), this)), m_open(new QPushButton(tr("Open"), this)),
      m_unsubscribe(new QPushButton(tr("Unsubscribe"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)), m_busyBar(new QProgressBar(this)),
      m_message(new QLabel(this)), m_result(new QLabel(this))
{
    setWindowTitle(tr("Lesson Packs"));
    resize(920, 600);

    m_packs->setAccessibleName(tr("Installed packs"));
    m_feeds->setAccessibleName(tr("Subscribed feeds"));
    QHeaderView *packHeader = m_packs->header();
    packHeader->setSectionResizeMode(PackName, QHeaderView::Stretch);
    for (int c : {PackVersion, PackUpdate, PackKey, PackInstalled})
        packHeader->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    packHeader->setSectionResizeMode(PackSource, QHeaderView::Interactive);
    packHeader->resizeSection(PackSource, 160);
    QHeaderView *feedHeader = m_feeds->header();
    feedHeader->setSectionResizeMode(FeedUrl, QHeaderView::Stretch);
    feedHeader->setSectionResizeMode(FeedChecked, QHeaderView::ResizeToContents);
    feedHeader->setSectionResizeMode(FeedStatus, QHeaderView::Interactive);
    feedHeader->resizeSection(FeedStatus, 300);
    // A status reads from its start; a URL keeps its host either way.
    m_feeds->setTextElideMode(Qt::ElideRight);

    m_emptyPacks = addEmptyLabel(
        m_packs, tr("No packs installed yet. Install one from a file your instructor gave you, "
                    "or subscribe to their feed."));
    m_emptyFeeds = addEmptyLabel(m_feeds, tr("No feeds yet. Ask your instructor for a "
                                             "subscribe link."));

    m_install->setToolTip(tr("Install a pack from an archive and its signature."));
    m_open->setToolTip(tr("Show this pack's lessons in the lab."));
    m_remove->setToolTip(tr("Remove the pack. Your code and progress in it are kept."));
    m_subscribe->setToolTip(tr("Follow an instructor's feed: new packs and updates arrive by "
                               "themselves."));
    m_update->setToolTip(tr("Check every feed for new packs and updates now."));
    m_unsubscribe->setToolTip(tr("Stop following this feed. Its packs stay installed."));

    auto *packsBox = new QGroupBox(tr("Installed packs"), this);
    auto *packsLayout = new QVBoxLayout(packsBox);
    packsLayout->addWidget(m_packs, 1);
    auto *packButtons = new QHBoxLayout;
    packButtons->addWidget(m_install);
    packButtons->addStretch(1);
    packButtons->addWidget(m_open);
    packButtons->addWidget(m_remove);
    packsLayout->addLayout(packButtons);

    auto *feedsBox = new QGroupBox(tr("Subscribed feeds"), this);
    auto *feedsLayout = new QVBoxLayout(feedsBox);
    feedsLayout->addWidget(m_feeds, 1);
    auto *feedButtons = new QHBoxLayout;
    feedButtons->addWidget(m_subscribe);
    feedButtons->addWidget(m_update);
    feedButtons->addStretch(1);
    feedButtons->addWidget(m_unsubscribe);
    feedsLayout->addLayout(feedButtons);

    m_busyBar->setRange(0, 0);
    m_busyBar->setTextVisible(false);
    m_busyBar->setMaximumWidth(160);
    m_busyBar->setMaximumHeight(m_cancel->sizeHint().height() / 2);
    m_message->setTextFormat(Qt::PlainText);
    m_busyRow = new QWidget(this);
    auto *busyLayout = new QHBoxLayout(m_busyRow);
    busyLayout->setContentsMargins(0, 0, 0, 0);
    busyLayout->addWidget(m_busyBar);
    busyLayout->addWidget(m_message, 1);
    busyLayout->addWidget(m_cancel);
    m_busyRow->hide();
    m_cancel->hide();

    // Results quote server errors and file names: never markup.
    m_result->setTextFormat(Qt::PlainText);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->hide();

    for (QPushButton *b :
         {m_install, m_subscribe, m_update, m_remove, m_open, m_unsubscribe, m_cancel})
        b->setAutoDefault(false);

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(packsBox, 3);
    layout->addWidget(feedsBox, 2);
    layout->addWidget(m_busyRow);
    layout->addWidget(m_result);
    layout->addWidget(close);

    connect(m_install, &QPushButton::clicked, this, &PacksDialog::installFromFileRequested);
    connect(m_subscribe, &QPushButton::clicked, this, &PacksDialog::subscribeRequested);
    connect(m_update, &QPushButton::clicked, this, &PacksDialog::updateRequested);
    connect(m_cancel, &QPushButton::clicked, this, &PacksDialog::cancelRequested);
    connect(m_open, &QPushButton::clicked, this, [this] { requestOpen(selectedPackId()); });
    connect(m_remove, &QPushButton::clicked, this, [this] { requestRemove(); });
    connect(m_unsubscribe, &QPushButton::clicked, this, [this] {
        const QString url = selectedFeedUrl();
        if (!url.isEmpty())
            Q_EMIT unsubscribeRequested(url);
    });
    connect(m_packs, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        if (item)
            requestOpen(item->data(PackName, IdRole).toString());
    });
    connect(m_packs, &QTreeWidget::itemSelectionChanged, this, [this] { updateButtons(); });
    connect(m_feeds, &QTreeWidget::itemSelectionChanged, this, [this] { updateButtons(); });

    updateButtons();
}

void PacksDialog::setPacks(const QList<PackRow> &packs)
{
    const QString selected = selectedPackId();
    m_packs->clear();
    const QColor updateColour = statusColor(StatusGlyph::Info, palette());
    for (const PackRow &pack : packs) {
        auto *item = new QTreeWidgetItem(m_packs);
        item->setSizeHint(PackName, rowSize(m_packs));
        const QString title = pack.title.isEmpty() ? pack.id : pack.title;
        item->setText(PackName, title == pack.id ? title : tr("%1 (%2)").arg(title, pack.id));
        item->setData(PackName, IdRole, pack.id);
        item->setData(PackName, BuiltInRole, pack.builtIn);
        item->setData(PackName, OpenRole, pack.open);
        item->setText(PackVersion, pack.version);
        if (!pack.availableVersion.isEmpty()) {
            item->setText(PackUpdate, tr("→ %1").arg(pack.availableVersion));
            item->setForeground(PackUpdate, updateColour);
            item->setToolTip(PackUpdate, tr("Version %1 is available; “Check for Updates” "
                                            "installs it.")
                                             .arg(pack.availableVersion));
        }

        QString source;
        QString sourceTip;
        if (pack.builtIn || pack.source == QLatin1String("built-in")) {
            source = tr("Built in");
            sourceTip = tr("The course that comes with the lab.");
        } else if (pack.source.startsWith(QLatin1String("file:"))) {
            const QString path = pack.source.mid(5);
            source = QFileInfo(path).fileName();
            sourceTip = tr("Installed from %1").arg(QDir::toNativeSeparators(path));
        } else {
            const QUrl url(pack.source);
            source = url.host().isEmpty() ? pack.source : url.host();
            sourceTip = tr("From the feed %1").arg(pack.source);
        }
        item->setText(PackSource, source);
        item->setToolTip(PackSource, sourceTip);

        item->setText(PackKey, pack.keyId.isEmpty() ? QStringLiteral("—") : pack.keyId);
        if (!pack.keyId.isEmpty())
            item->setToolTip(PackKey, tr("Signed with key %1").arg(pack.keyId));
        item->setText(PackInstalled, pack.installedAt.isValid() ? localTime(pack.installedAt)
                                                                : QStringLiteral("—"));

        QString nameTip = tr("Pack id: %1").arg(pack.id);
        if (pack.open) {
            // Bold, with a tooltip: the pack the lab shows now.
            QFont font = m_packs->font();
            font.setBold(true);
            for (int c = 0; c < PackColumnCount; ++c)
                item->setFont(c, font);
            nameTip += QLatin1Char('\n') + tr("Open in the lab now.");
        }
        item->setToolTip(PackName, nameTip);
    }
    m_emptyPacks->setVisible(packs.isEmpty());
    if (!selected.isEmpty())
        selectPack(selected);
    updateButtons();
}

void PacksDialog::setFeeds(const QList<FeedRow> &feeds)
{
    const QString selected = selectedFeedUrl();
    m_feeds->clear();
    for (const FeedRow &feed : feeds) {
        auto *item = new QTreeWidgetItem(m_feeds);
        item->setSizeHint(FeedUrl, rowSize(m_feeds));
        item->setText(FeedUrl, feed.url);
        item->setData(FeedUrl, IdRole, feed.url);
        QString urlTip = feed.url;
        if (!feed.keyId.isEmpty())
            urlTip += QLatin1Char('\n') + tr("Trusted key %1").arg(feed.keyId);
        item->setToolTip(FeedUrl, urlTip);
        item->setText(FeedChecked,
                      feed.lastChecked.isValid() ? localTime(feed.lastChecked) : tr("Never"));

        if (!feed.lastError.isEmpty()) {
            // The first line fits the column; the tooltip holds all of it.
            item->setText(FeedStatus, feed.lastError.section(QLatin1Char('\n'), 0, 0));
            item->setToolTip(FeedStatus, feed.lastError);
            item->setForeground(FeedStatus, statusColor(StatusGlyph::Error, palette()));
            item->setIcon(FeedStatus, statusIcon(StatusGlyph::Error, palette()));
        } else if (!feed.lastChecked.isValid()) {
            item->setText(FeedStatus, tr("Not checked yet"));
        } else {
            item->setText(FeedStatus, feed.lastIssued.isValid()
                                          ? tr("OK, published %1").arg(localTime(feed.lastIssued))
                                          : tr("OK"));
            item->setIcon(FeedStatus, statusIcon(StatusGlyph::Passed, palette()));
        }
    }
    m_emptyFeeds->setVisible(feeds.isEmpty());
    if (!selected.isEmpty()) {
        for (int i = 0; i < m_feeds->topLevelItemCount(); ++i)
            if (m_feeds->topLevelItem(i)->data(FeedUrl, IdRole).toString() == selected)
                m_feeds->setCurrentItem(m_feeds->topLevelItem(i));
    }
    updateButtons();
}

void PacksDialog::setBusy(bool busy, const QString &message)
{
    m_busy = busy;
    m_message->setText(message);
    m_busyRow->setVisible(busy);
    m_cancel->setVisible(busy);
    m_cancel->setEnabled(busy);
    // A new operation makes the last one's outcome stale.
    if (busy)
        showResult(QString(), false);
    updateButtons();
}

void PacksDialog::showResult(const QString &text, bool error)
{
    QPalette p = m_result->palette();
    p.setColor(QPalette::WindowText, error ? statusColor(StatusGlyph::Error, palette())
                                           : palette().color(QPalette::WindowText));
    m_result->setPalette(p);
    m_result->setText(text);
    m_result->setVisible(!text.isEmpty());
}

QString PacksDialog::resultText() const
{
    return m_result->text();
}

QString PacksDialog::selectedPackId() const
{
    const QList<QTreeWidgetItem *> items = m_packs->selectedItems();
    return items.isEmpty() ? QString() : items.first()->data(PackName, IdRole).toString();
}

QString PacksDialog::selectedFeedUrl() const
{
    const QList<QTreeWidgetItem *> items = m_feeds->selectedItems();
    return items.isEmpty() ? QString() : items.first()->data(FeedUrl, IdRole).toString();
}

bool PacksDialog::selectPack(const QString &id)
{
    for (int i = 0; i < m_packs->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_packs->topLevelItem(i);
        if (item->data(PackName, IdRole).toString() == id) {
            m_packs->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

void PacksDialog::setConfirmRemovals(bool confirm)
{
    m_confirmRemovals = confirm;
}

QTreeWidgetItem *PacksDialog::selectedPackItem() const
{
    const QList<QTreeWidgetItem *> items = m_packs->selectedItems();
    return items.isEmpty() ? nullptr : items.first();
}

void PacksDialog::updateButtons()
{
    const QTreeWidgetItem *pack = selectedPackItem();
    const bool builtIn = pack && pack->data(PackName, BuiltInRole).toBool();
    m_install->setEnabled(!m_busy);
    m_subscribe->setEnabled(!m_busy);
    m_update->setEnabled(!m_busy && m_feeds->topLevelItemCount() > 0);
    m_open->setEnabled(!m_busy && pack);
    m_remove->setEnabled(!m_busy && pack && !builtIn);
    m_remove->setToolTip(builtIn ? tr("The course that comes with the lab cannot be removed.")
                                 : tr("Remove the pack. Your code and progress in it are kept."));
    m_unsubscribe->setEnabled(!m_busy && !selectedFeedUrl().isEmpty());
}

void PacksDialog::requestOpen(const QString &id)
{
    if (id.isEmpty() || !m_open->isEnabled())
        return;
    Q_EMIT openRequested(id);
}

void PacksDialog::requestRemove()
{
    const QTreeWidgetItem *item = selectedPackItem();
    if (!item || !m_remove->isEnabled())
        return;
    const QString id = item->data(PackName, IdRole).toString();
    if (m_confirmRemovals) {
        QMessageBox box(QMessageBox::Question, tr("Remove Pack"),
                        tr("Remove “%1” from the lab?").arg(item->text(PackName)),
                        QMessageBox::Cancel, this);
        box.setInformativeText(tr("Its lessons leave the lab. Your code and progress in them "
                                  "are kept and come back if you install the pack again."));
        QPushButton *remove = box.addButton(tr("Remove"), QMessageBox::DestructiveRole);
        box.setDefaultButton(QMessageBox::Cancel);
        box.setObjectName(QStringLiteral("confirmRemoval"));
        box.exec();
        if (box.clickedButton() != remove)
            return;
    }
    Q_EMIT removeRequested(id);
}

} // namespace torchlab
