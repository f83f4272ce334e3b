#include "widgets/dialogs/subscribedialog.h"

#include "core/packs/subscribelink.h"
#include "widgets/dialogs/dialogheight.h"
#include "widgets/dialogs/packkeyfield.h"
#include "widgets/dialogs/trustnote.h"
#include "widgets/style/statusicons.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace torchlab {

namespace {

bool isLinkText(const QString &text)
{
    return text.trimmed().startsWith(QLatin1String("torchlab:"), Qt::CaseInsensitive);
}

// Plain http to this machine never crosses a network, so it needs no note.
bool isLoopbackHost(const QString &host)
{
    return host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
           host.startsWith(QLatin1String("127.")) || host == QLatin1String("::1");
}

} // namespace

SubscribeDialog::SubscribeDialog(QWidget *parent)
    : QDialog(parent), m_url(new QLineEdit(this)),
      m_keyField(new PackKeyField(staticMetaObject.className(), this)), m_name(new QLabel(this)),
      m_problem(new QLabel(this)), m_note(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Subscribe to a Feed"));
    // Wide enough for a whole minisign key on one line in the key field.
    resize(740, 0);

    auto *intro = new QLabel(tr("Your instructor publishes lesson packs in a feed. The lab checks "
                                "it for updates and installs only packs signed with the "
                                "instructor's key."),
                             this);
    intro->setWordWrap(true);

    m_url->setPlaceholderText(tr("https://… or a torchlab://subscribe link"));
    m_url->setClearButtonEnabled(true);

    m_name->setTextFormat(Qt::PlainText); // a link's name is not trusted: never markup
    m_name->setWordWrap(true);
    QFont bold = m_name->font();
    bold.setBold(true);
    m_name->setFont(bold);
    m_name->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("Feed &address:"), m_url);
    form->addRow(QString(), m_name);
    form->addRow(tr("Instructor's public &key:"), m_keyField);
    // The shortcut focuses the text, not the field around it.
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(m_keyField)))
        label->setBuddy(m_keyField->edit());

    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_noteIcon = new QLabel(this);
    m_noteIcon->setPixmap(statusPixmap(StatusGlyph::Info, 16, devicePixelRatioF(), palette()));
    m_note->setWordWrap(true);
    m_note->setText(tr("This feed uses plain http. Nobody can slip you a changed pack that way: "
                       "the lab installs only packs signed with the key above. Others on the "
                       "network can see which packs you download."));
    m_noteRow = new QWidget(this);
    auto *noteLayout = new QHBoxLayout(m_noteRow);
    noteLayout->setContentsMargins(0, 0, 0, 0);
    noteLayout->addWidget(m_noteIcon, 0, Qt::AlignTop);
    noteLayout->addWidget(m_note, 1);
    m_noteRow->hide();

    m_subscribeButton = m_buttons->addButton(tr("&Subscribe"), QDialogButtonBox::AcceptRole);
    m_subscribeButton->setDefault(true);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(makeTrustNote(this));
    layout->addSpacing(4);
    layout->addLayout(form);
    layout->addWidget(m_noteRow);
    layout->addWidget(m_problem);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    keepHeightForWidth(this);

    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (isComplete())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_url, &QLineEdit::textChanged, this,
            [this](const QString &text) { urlChanged(text); });
    connect(m_keyField, &PackKeyField::changed, this, [this] { refresh(); });

    refresh();
}

void SubscribeDialog::setLink(const SubscribeLink &link)
{
    m_linkError.clear();
    m_linkFeed = link.feed.toString();
    {
        // Not a pasted link to parse again: the text is the feed URL itself.
        const QSignalBlocker blocker(m_url);
        m_url->setText(m_linkFeed);
    }
    m_linkName = link.name;
    m_name->setText(tr("From the link: %1").arg(link.name));
    m_name->setVisible(!link.name.isEmpty());
    m_keyField->setKeyText(link.key.toBase64()); // refreshes
}

void SubscribeDialog::setUrlText(const QString &text)
{
    m_url->setText(text);
}

void SubscribeDialog::setKeyText(const QString &text)
{
    m_keyField->setKeyText(text);
}

bool SubscribeDialog::loadKeyFile(const QString &path)
{
    return m_keyField->loadKeyFile(path);
}

QUrl SubscribeDialog::feedUrl() const
{
    return QUrl(m_url->text().trimmed(), QUrl::StrictMode);
}

std::optional<MinisignPublicKey> SubscribeDialog::key() const
{
    return m_keyField->key();
}

QPlainTextEdit *SubscribeDialog::keyEdit() const
{
    return m_keyField->edit();
}

QString SubscribeDialog::linkName() const
{
    return m_linkName;
}

bool SubscribeDialog::isComplete() const
{
    return problem().isEmpty();
}

QString SubscribeDialog::problem() const
{
    return check(nullptr);
}

QString SubscribeDialog::check(bool *isError) const
{
    auto say = [isError](const QString &text, bool error) {
        if (isError)
            *isError = error;
        return text;
    };
    const QString text = m_url->text().trimmed();
    if (text.isEmpty())
        return say(tr("Paste the feed address or the torchlab:// link your instructor gave you."),
                   false);
    if (!m_linkError.isEmpty())
        return say(m_linkError, true);
    const QUrl url = feedUrl();
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("https") && scheme != QLatin1String("http")))
        return say(tr("The feed address must start with https:// or http://."), true);
    if (url.host().isEmpty())
        return say(tr("The feed address has no server name."), true);
    if (!url.userInfo().isEmpty())
        return say(tr("The feed address must not contain a user name or password."), true);
    return m_keyField->problem(isError);
}

void SubscribeDialog::urlChanged(const QString &text)
{
    m_linkError.clear();
    if (isLinkText(text)) {
        QString error;
        if (const std::optional<SubscribeLink> link = SubscribeLink::parse(text, &error)) {
            setLink(*link);
            return;
        }
        m_linkError =
            error.isEmpty() ? tr("This is not a valid torchlab:// subscribe link.") : error;
    }
    // Edited away from what a link filled in: its name no longer describes the URL.
    if (text.trimmed() != m_linkFeed) {
        m_linkFeed.clear();
        m_linkName.clear();
        m_name->hide();
    }
    refresh();
}

void SubscribeDialog::refresh()
{
    bool error = false;
    const QString why = check(&error);
    m_keyField->showStatus(m_problem, why, error);
    m_subscribeButton->setEnabled(why.isEmpty());

    const QUrl url = feedUrl();
    m_noteRow->setVisible(url.isValid() && url.scheme().toLower() == QLatin1String("http") &&
                          !url.host().isEmpty() && !isLoopbackHost(url.host()));
}

} // namespace torchlab
