import HeraldCtlCommands
import HeraldDaemonKit

await HeraldCtl.runAsRoot()
