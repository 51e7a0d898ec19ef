import ArgumentParser
@main struct Reassure: AsyncParsableCommand {}
