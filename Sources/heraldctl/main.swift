import HeraldCtlCommands

await HeraldCtl.main()
