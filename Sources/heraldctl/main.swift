import HeraldCtlCommands
import HeraldDaemonKit

await HeraldCtl.runAsRoot(HeraldCtl.applyGlobalOptions(Array(CommandLine.arguments.dropFirst())))
