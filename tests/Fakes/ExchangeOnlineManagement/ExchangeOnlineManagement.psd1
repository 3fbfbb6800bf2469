# FAKE ExchangeOnlineManagement for tests (see ExchangeOnlineManagement.psm1). Not the real module.
@{
    RootModule        = 'ExchangeOnlineManagement.psm1'
    ModuleVersion     = '3.9.0'
    GUID              = '3f1c0e6a-52d7-4d8e-9b1a-7e2f4c6d8a90'
    Author            = 'Dropzone.ExoSetup tests'
    Description       = 'FAKE of ExchangeOnlineManagement 3.x (REST): Connect-ExchangeOnline creates a tmpEXO_* module with the RBAC cmdlets, which call the tenant emulator.'
    PowerShellVersion = '7.2'
    FunctionsToExport = @('Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
    FileList          = @('ExchangeOnlineManagement.psm1', 'RbacCmdlets.ps1', 'CmdletReference.psd1')
    PrivateData       = @{ PSData = @{ Tags = @('Fake', 'Tests') } }
}
