# Help source of Get-DropzoneOrganizationId. Build-Help.ps1 turns it into MAML.
@{
    Synopsis    = 'Gets the tenant''s initial *.onmicrosoft.com domain, which Dropzone AI calls "Organization ID".'

    Description = @'
Get-DropzoneOrganizationId reads the tenant's organization from Microsoft Graph and returns its initial domain: the *.onmicrosoft.com domain created with the tenant (the verified domain marked isInitial). This is step 5 of the Dropzone AI setup: the Dropzone AI "MS 365/Defender" integration page asks for it as "Organization ID". It is also what Connect-ExchangeOnline -Organization takes for app-only sign-in.

It is neither the tenant's default (custom) domain nor its *.mail.onmicrosoft.com domain.

The command needs a Graph connection made with Connect-DropzoneGraph in the same session; without one it fails with the ErrorId GraphNotConnected. Any member account of the tenant may read the domain (delegated User.Read; app-only Organization.Read.All or Directory.Read.All). Nothing changes in the tenant.
'@

    Parameters  = @{}

    Inputs      = @(
        @{ Type = 'None'; Description = 'Get-DropzoneOrganizationId takes no input from the pipeline.' }
    )

    Outputs     = @(
        @{ Type = 'System.String'; Description = 'The initial domain, such as contoso.onmicrosoft.com.' }
    )

    Notes       = @'
ErrorIds: GraphNotConnected (run Connect-DropzoneGraph first), InsufficientPrivileges (Graph refused to read the organization), OrganizationIdNotFound (the tenant has no verified domain marked isInitial; look under Entra ID > Custom domain names), GraphUnreachable.
'@

    Examples    = @(
        @{
            Title   = 'Get the Organization ID in Azure Cloud Shell'
            Code    = @'
Connect-DropzoneGraph
Get-DropzoneOrganizationId
'@
            Remarks = @'
Signs in with the Cloud Shell account and writes the initial domain, for example contoso.onmicrosoft.com. Enter it as "Organization ID" in the Dropzone AI integration settings.
'@
        }
        @{
            Title   = 'Copy it to the clipboard'
            Code    = @'
Get-DropzoneOrganizationId | Set-Clipboard
'@
            Remarks = @'
Puts the initial domain on the clipboard, ready to paste into the Dropzone AI UI (Set-Clipboard works on Windows and macOS; on Linux it needs xclip or xsel).
'@
        }
    )

    Links       = @(
        @{ Text = 'Connect-DropzoneGraph' }
        @{ Text = 'Get-DropzoneGraphContext' }
        @{ Text = 'about_Dropzone_ExoSetup' }
    )
}
