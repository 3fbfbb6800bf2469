# Help source of Disconnect-DropzoneGraph. Build-Help.ps1 turns it into MAML.
@{
    Synopsis    = "Forgets this PowerShell session's Microsoft Graph connection. Nothing changes in the tenant."

    Description = @'
Disconnect-DropzoneGraph closes the Microsoft Graph connection that Connect-DropzoneGraph made in the current PowerShell session (runspace) and forgets it. Afterwards the Dropzone.ExoSetup cmdlets that need Graph fail with the ErrorId GraphNotConnected until you connect again.

Nothing changes in the tenant: no token is revoked, no sign-in session of Azure CLI, Azure PowerShell or Azure Cloud Shell is ended, and the connections of other runspaces (ForEach-Object -Parallel, jobs) are left alone. It does not disconnect Exchange Online either: use Disconnect-ExchangeOnline for that.

When the session is not connected, the command does nothing and reports no error (with -Verbose it says so). So it is safe at the end of any script.

Removing the module (Remove-Module Dropzone.ExoSetup) closes the connections of every runspace.
'@

    Parameters  = @{
        PassThru = 'Writes the context of the connection that was closed (a Dropzone.ExoSetup.GraphContext) to the output. Without it the command writes nothing. When the session was not connected, nothing is written even with -PassThru.'
    }

    Inputs      = @(
        @{ Type = 'None'; Description = 'Disconnect-DropzoneGraph takes no input from the pipeline.' }
    )

    Outputs     = @(
        @{ Type = 'None'; Description = 'By default, the command writes nothing.' }
        @{ Type = 'Dropzone.ExoSetup.GraphContext'; Description = 'With -PassThru: the context of the connection that was closed (tenant, account, environment). It holds no token or secret.' }
    )

    Notes       = @'
Disconnect-DropzoneGraph reports no error when there is nothing to disconnect; use Get-DropzoneGraphContext to find out whether the session is connected.
'@

    Examples    = @(
        @{
            Title   = 'Disconnect at the end of a session'
            Code    = @'
Disconnect-DropzoneGraph
'@
            Remarks = @'
Forgets the session's Graph connection. Running it again, or in a session that never connected, does nothing.
'@
        }
        @{
            Title   = 'Show which tenant was disconnected'
            Code    = @'
Disconnect-DropzoneGraph -PassThru | Select-Object TenantId, InitialDomain, Account
'@
            Remarks = @'
Writes the context of the closed connection, here reduced to the tenant id, the tenant's initial domain and the account that was signed in. Nothing is written when the session was not connected.
'@
        }
        @{
            Title   = 'Switch to another tenant'
            Code    = @'
Disconnect-DropzoneGraph -Verbose
Connect-DropzoneGraph -UseDeviceCode -TenantId fabrikam.onmicrosoft.com
'@
            Remarks = @'
The verbose message tells which tenant was disconnected ("Disconnected from tenant ..."). Disconnecting first is optional: a successful Connect-DropzoneGraph replaces the previous connection by itself, but if it fails, the old connection stays in place; disconnecting first makes sure no cmdlet keeps working against the old tenant.
'@
        }
    )

    Links       = @(
        @{ Text = 'Connect-DropzoneGraph' }
        @{ Text = 'Get-DropzoneGraphContext' }
        @{ Text = 'about_Dropzone_ExoSetup' }
    )
}
