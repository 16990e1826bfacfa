# Sourced by the bench scripts that time the release binary: from the
# package root, with it built ($root, $bin) and a temporary directory
# ($tmp) removed on exit.
cd "$(dirname "${BASH_SOURCE[1]}")/.."
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release --quiet
bin="$root/target/release/epochwatch"
