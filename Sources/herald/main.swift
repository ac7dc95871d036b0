import HeraldDaemonKit

await HeraldCommand.main()
