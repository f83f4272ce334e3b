#pragma once

#include <QProcessEnvironment>
#include <QString>

namespace torchlab {

// The data sets lessons declare in requires.datasets, made available where
// lab::data_dir() looks: $TORCHLAB_DATA, else <XDG data>/torchlab/data.
//
// "fashion-mnist" comes from Debian's dataset-fashion-mnist package (gzip'd
// IDX files under /usr/share/datasets/fashion-mnist) and is unpacked once
// into <root>/fashion-mnist, the layout torch::data::datasets::MNIST reads.
// Each file is written to a temporary name and renamed, so a reader never
// sees half a file and an interrupted unpack is simply redone.
//
// Blocking (about a second for Fashion-MNIST); call it from a worker thread
// in a GUI. Thread-safe for different roots; two processes unpacking into the
// same root at once both succeed (the renames are atomic).
namespace Datasets {

struct Status
{
    bool ok = false;
    bool unpacked = false; // true when this call did the unpacking
    QString message;       // what is missing and how to install it, when !ok
};

// Where lessons find their data, given the environment the program gets.
QString root(const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());
// Where the packaged files of `name` are read from ($TORCHLAB_DATASETS_SOURCE/<name> overrides,
// for tests with small generated files).
QString sourceDirectory(const QString &name);
Status ensure(const QString &name, const QString &root);

} // namespace Datasets

} // namespace torchlab
