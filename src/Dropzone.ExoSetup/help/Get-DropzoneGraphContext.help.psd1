# Help source of Get-DropzoneGraphContext. Build-Help.ps1 turns it into MAML.
@{
    Synopsis    = "Gets this PowerShell session's Microsoft Graph connection: tenant, account, cloud and endpoint."

    Description = @'
Get-DropzoneGraphContext returns the context of the Microsoft Graph connection that Connect-DropzoneGraph made in the current PowerShell session (runspace): the tenant id and display name, the tenant's initial *.onmicrosoft.com domain, the signed-in account or app, how it signed in, the Microsoft cloud and Graph endpoint in use, and when it connected.

When the session is not connected, it returns nothing and reports no error, so "if (-not (Get-DropzoneGraphContext)) { Connect-DropzoneGraph }" is a safe way to connect only when needed. Each runspace has its own connection: in ForEach-Object -Parallel or a job it returns that runspace's connection, not the one of the session that started it.

The context holds no token or secret; it is safe to log or show. It makes no request to Graph.
'@

    Parameters  = @{}

    Inputs      = @(
        @{ Type = 'None'; Description = 'Get-DropzoneGraphContext takes no input from the pipeline.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.GraphContext'
            Description = 'The session''s connection: TenantId, TenantDisplayName, InitialDomain (the vendor''s "Organization ID"), Account (the signed-in user; empty for app-only sign-in), AppId, Scopes (what the token may do: its delegated scopes, or an app-only token''s roles; empty when the token is not a JWT), TokenExpiresOn, AuthType (Default, DeviceCode, ManagedIdentity, ClientCertificate or AccessToken), Environment (Global, USGov, USGovDoD or China), GraphEndpoint, ExchangeEnvironmentName (for Connect-ExchangeOnline) and ConnectedAt. Nothing when the session is not connected.'
        }
    )

    Notes       = @'
The InitialDomain property is the tenant's initial *.onmicrosoft.com domain, which the Dropzone AI integration page calls "Organization ID". It is read from Graph once, when Connect-DropzoneGraph connects.
'@

    Examples    = @(
        @{
            Title   = 'Show the current connection'
            Code    = @'
Get-DropzoneGraphContext | Format-List
'@
            Remarks = @'
Shows every property of the connection, for example:

TenantId                : b9f1e0a2-4c3d-4e5f-8a7b-1c2d3e4f5a6b
TenantDisplayName       : Contoso
InitialDomain           : contoso.onmicrosoft.com
Account                 : admin@contoso.com
AppId                   : 04b07795-8ddb-461a-bbee-02f9e1bf7b46
AuthType                : Default
Environment             : Global
GraphEndpoint           : https://graph.microsoft.com/
ExchangeEnvironmentName : O365Default
ConnectedAt             : 11/27/2026 12:40:12 +00:00

Without Format-List the default table shows TenantId, InitialDomain, Account (or AppId), AuthType, Environment and GraphEndpoint.
'@
        }
        @{
            Title   = 'Connect only when the session is not connected yet'
            Code    = @'
if (-not (Get-DropzoneGraphContext)) {
    Connect-DropzoneGraph
}
'@
            Remarks = @'
Get-DropzoneGraphContext returns nothing (and no error) when the session has no connection, so a script can connect only when it needs to. In Azure Cloud Shell, Connect-DropzoneGraph needs no parameter.
'@
        }
        @{
            Title   = 'Connect to Exchange Online in the same cloud and tenant'
            Code    = @'
$context = Get-DropzoneGraphContext
Connect-ExchangeOnline -ExchangeEnvironmentName $context.ExchangeEnvironmentName -UserPrincipalName $context.Account
'@
            Remarks = @'
The Exchange steps of the procedure need an Exchange Online PowerShell connection to the same tenant. The context tells which cloud to use (O365Default, O365USGovGCCHigh, O365USGovDoD or O365China) and which account is signed in to Graph.
'@
        }
        @{
            Title   = 'Record the Organization ID for the Dropzone AI integration page'
            Code    = @'
Get-DropzoneGraphContext | Select-Object -ExpandProperty InitialDomain
'@
            Remarks = @'
Writes the tenant's initial domain, such as contoso.onmicrosoft.com, which the Dropzone AI "MS 365/Defender" integration asks for as "Organization ID".
'@
        }
    )

    Links       = @(
        @{ Text = 'Connect-DropzoneGraph' }
        @{ Text = 'Disconnect-DropzoneGraph' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'Connect-ExchangeOnline'; Uri = 'https://learn.microsoft.com/powershell/module/exchange/connect-exchangeonline' }
    )
}
