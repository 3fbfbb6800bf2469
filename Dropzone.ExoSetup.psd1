@{
    # The module's manifest. Build copies it into out/Dropzone.ExoSetup/. No NestedModules or
    # RequiredAssemblies: they would load assemblies before the module initializer wires the
    # dependency load context.
    RootModule             = 'Dropzone.ExoSetup.dll'
    ModuleVersion          = '0.2.0'
    GUID                   = '5d3c0b4e-8f0a-4c8e-9a51-2f6d7c1e4b90'
    Author                 = 'Dropzone.ExoSetup contributors'
    CompanyName            = 'Dropzone.ExoSetup contributors'
    Copyright              = '(c) 2026 Dropzone.ExoSetup contributors. MIT License.'
    Description            = 'Connects a Microsoft 365 tenant to Dropzone AI for quarantined e-mail analysis: uploads the vendor certificate to the "Dropzone AI" app registration, grants Exchange.ManageAsApp with admin consent, registers the service principal in Exchange Online with the Transport Hygiene role, and finds the Organization ID. Safe to run twice; keeps everything the tenant already had.'
    CompatiblePSEditions   = @('Core')
    PowerShellVersion      = '7.4'
    FormatsToProcess       = @('Dropzone.ExoSetup.format.ps1xml')
    CmdletsToExport        = @(
        'Connect-DropzoneGraph'
        'Disconnect-DropzoneGraph'
        'Get-DropzoneGraphContext'
        'Get-DropzoneOrganizationId'
        'Get-DropzoneApplication'
        'Install-DropzoneCertificate'
        'Get-DropzoneCertificate'
        'Remove-DropzoneCertificate'
        'New-DropzoneClientSecret'
        'Remove-DropzoneClientSecret'
        'Grant-DropzoneExoPermission'
        'Get-DropzoneServicePrincipal'
        'New-DropzoneExoServicePrincipal'
        'New-DropzoneExoRoleAssignment'
        'Install-DropzoneExoIntegration'
        'Install-DropzoneExoTenantIntegration'
        'Test-DropzoneExoIntegration'
        'Uninstall-DropzoneExoIntegration'
    )
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags         = @('Dropzone', 'ExchangeOnline', 'Exchange', 'EntraID', 'AzureAD', 'MicrosoftGraph', 'Quarantine', 'Defender', 'Security', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = '0.2.0: Azure Cloud Shell sign-in (its token endpoint; device code through Microsoft Graph Command Line Tools with the scopes the steps need) and a permission check before the first write; a load context that holds against newer Azure.Core/MSAL loaded first; consent and Exchange steps that wait out replication; expired certificates kept or removed with -RemoveExpiredCertificate, Warn in Test-DropzoneExoIntegration, rotation NextSteps; every certificate/permission write read back and redone when another writer undid it (ConcurrentUpdate); a named Transport Hygiene assignment and fewer Exchange calls; help as platyPS markdown. Full list: CHANGELOG.md.'
        }
    }
}
