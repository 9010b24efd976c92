import ArgumentParser
import Briefing
import Foundation

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check layouts as a build would, without writing anything.",
    discussion: """
      Every check a build makes short of drawing: YAML keys and values, parameters, data, names, \
      metrics and sources files and their columns, every query and figure answered by the data, \
      blocks laid out on pages, characters the fonts can draw, and output names no two briefings \
      share. Every problem is reported, each at its file, line and column. Exit 0 when all \
      would build, 65 when one would not.

      Examples:
        briefing validate                         # every layout in layouts/
        briefing validate layouts/region.yaml --set region=Udmurtia
      """)

  @Argument(help: "Layout files to check (default: every .yaml file in layouts/).")
  var layouts: [String] = []

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("A parameter's value, overriding its default and a forEach over it (repeatable).", valueName: "name=value"))
  var settings: [String] = []

  @Flag(name: .shortAndLong, help: "Print only problems.")
  var quiet = false

  func run() throws {
    let files = try Subcommands.layoutFiles(layouts)
    var build = Build()
    build.settings = settings
    let settings = try build.parameterSettings()
    if let unknown = BriefingBuilder.unknownSettings(settings, in: files).first {
      throw ValidationError("--set \(unknown)=…: no layout given declares a parameter “\(unknown)” (under params or forEach)")
    }
    let epoch: Int?
    do {
      epoch = try BuildOptions.sourceDateEpochFromEnvironment()
    } catch {
      throw fail(error)
    }
    let (checked, problems) = LayoutValidation.problems(in: files, settings: settings, options: BuildOptions(sourceDateEpoch: epoch))
    for (briefing, error) in problems {
      let text = "\(error)"
      FileHandle.standardError.write(Data("error: \(text.contains(briefing) ? text : "\(briefing): \(text)")\n".utf8))
    }
    if !quiet || !problems.isEmpty {
      let line = "\(files.count) layout\(files.count == 1 ? "" : "s"), \(checked) briefing\(checked == 1 ? "" : "s") checked: \(problems.isEmpty ? "no problems" : "\(problems.count) problem\(problems.count == 1 ? "" : "s")")\n"
      (problems.isEmpty ? FileHandle.standardOutput : FileHandle.standardError).write(Data(line.utf8))
    }
    if !problems.isEmpty { throw ExitCode(65) }
  }
}

struct ManifestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "manifest",
    abstract: "Merge or check the manifest.json of output folders.",
    subcommands: [Merge.self, Check.self])

  struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "merge",
      abstract: "Combine the manifests of shard builds into one.",
      discussion: """
        After `briefing build --shard I/N --out shard-I` for each I and the shards' files copied \
        into one folder, this writes that folder's manifest. Two shards listing one briefing \
        differently, or two briefings claiming one file, are refused (exit 65).

        Example:
          briefing manifest merge shard-*/manifest.json --out reports/manifest.json
        """)

    @Argument(help: "The shards' manifest.json files.")
    var manifests: [String]

    @Option(name: .shortAndLong, help: "The merged manifest to write.")
    var out: String

    @Flag(help: "Also check that every file the merged manifest lists is in the manifest's folder, with its size and SHA-256.")
    var verify = false

    func run() throws {
      do {
        let merged = try Manifest.merging(manifests)
        if verify {
          let problems = merged.mismatches(inFolder: (out as NSString).deletingLastPathComponent.isEmpty ? "." : (out as NSString).deletingLastPathComponent)
          guard problems.isEmpty else {
            for problem in problems { FileHandle.standardError.write(Data("error: \(problem)\n".utf8)) }
            throw ExitCode(65)
          }
        }
        try merged.write(to: out)
      } catch let code as ExitCode {
        throw code
      } catch {
        throw fail(error)
      }
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "check",
      abstract: "Check that an output folder holds every file its manifest lists, byte for byte.",
      discussion: "Exit 0 when it does, 65 listing every missing or different file when not.")

    @Argument(help: "The output folder.")
    var folder: String = "reports"

    @Option(help: ArgumentHelp("Seconds to wait for a build writing into the folder.", valueName: "seconds"))
    var wait: Double = 300

    func run() throws {
      let manifest: Manifest
      let problems: [String]
      do {
        (manifest, problems) = try ReportBuild.check(folder: folder, wait: wait)
      } catch {
        throw fail(error)
      }
      for problem in problems { FileHandle.standardError.write(Data("error: \(problem)\n".utf8)) }
      guard problems.isEmpty else { throw ExitCode(65) }
      let files = manifest.briefings.reduce(0) { $0 + $1.outputs.count }
      print("\(folder): \(manifest.briefings.count) briefings, \(files) files, as the manifest lists them")
    }
  }
}
