# mutants/copytree.sh — sourced by run.sh and gremlins.sh.
#
# copy_tree SRC DEST: copy the working tree at SRC (as it is now, so suites
# still being written are included) into DEST, leaving out .git, TLC state,
# benchmark results and the mutants' own scratch directory.
copy_tree() {
	mkdir -p "$2"
	tar -C "$1" --exclude=./.git --exclude='./mutants/work' --exclude='*/states' \
		--exclude='./bench/results' -cf - . | tar -C "$2" -xf -
}
