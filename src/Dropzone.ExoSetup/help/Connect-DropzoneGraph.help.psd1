# Help source of Connect-DropzoneGraph. Build-Help.ps1 turns it into MAML; types, parameter sets,
# Mandatory, Position and aliases come from the cmdlet itself, so they are not repeated here.
# Paragraphs are separated by blank lines.
@{
    Synopsis    = 'Signs in to Microsoft Graph for this PowerShell session, so the Dropzone.ExoSetup cmdlets can configure the tenant.'

    Description = @'
Connect-DropzoneGraph signs in to Microsoft Graph and keeps the connection for the current PowerShell session (runspace). Every Dropzone.ExoSetup cmdlet that reads or changes the tenant uses that connection; without one they fail with the ErrorId GraphNotConnected.

There is one parameter set per way of signing in:

- No sign-in parameter (the default): tries, in order, the token endpoint that Azure Cloud Shell advertises (MSI_ENDPOINT; it serves the token the portal obtained for the user signed in to Cloud Shell), the Azure CLI (az login) and Azure PowerShell (Connect-AzAccount). A source whose endpoint answers an error (such as AudienceNotSupported) is skipped for the next. In Cloud Shell all of them give the portal's token, whose scopes the module cannot choose: the cmdlet reads them, and when the token lacks a permission the steps need it warns and, when a person is at the keyboard, continues with device code sign-in (below), which asks for exactly those permissions. Without a person at the keyboard it keeps the token: reading works, and the writing cmdlets stop with InsufficientPrivileges before they write anything. In Cloud Shell, ACC_TID and ACC_CLOUD give the defaults for -TenantId and -Environment.

- -UseDeviceCode: prints a URL and a code as a warning; open the URL on any device, type the code and sign in as an administrator. Works on machines without a browser, over SSH and in Azure Cloud Shell. It signs in through Microsoft Graph Command Line Tools (client id 14d82eec-204b-4c2f-b7e8-296a70dab67e, the app Microsoft Graph PowerShell uses) and asks for exactly the delegated permissions the steps need: Application.ReadWrite.All (to add the certificate and the API permission and to create the service principal), AppRoleAssignment.ReadWrite.All (to grant admin consent to Exchange.ManageAsApp) and User.Read (to read the organization). On first use an administrator consents to them (a Privileged Role Administrator, Cloud Application Administrator or Application Administrator).

- -Identity: signs in as the managed identity of the Azure resource the command runs on (system-assigned; add -ClientId for a user-assigned identity, which Azure Cloud Shell does not have). For automation in Azure Automation, Azure Functions or a VM.

- -ClientId and -TenantId with -CertificateThumbprint, -Certificate or -CertificatePath: app-only sign-in as an app registration with a certificate credential. For unattended runs; the app needs the Graph application permissions of the steps it runs.

- -AccessToken: uses a Microsoft Graph access token you already have, as it is. It is not refreshed: when it expires, connect again.

-Environment picks the Microsoft cloud (Global, USGov, USGovDoD, China): where Graph is and where sign-in happens. -GraphEndpoint overrides the Graph address only, for a proxy or a local test double.

The connection is proven with one Graph request (GET /organization) before it is kept: the tenant id, display name and initial *.onmicrosoft.com domain in the returned context come from that request. If signing in or that request fails, the command stops with an error and the session keeps the connection it had before, if any. A successful Connect-DropzoneGraph replaces the session's previous connection.

The connection belongs to the PowerShell session (runspace) that made it. Other runspaces (ForEach-Object -Parallel, Start-ThreadJob, background jobs) do not see it and must connect themselves; this lets parallel runspaces work on different tenants.
'@

    Parameters  = @{
        UseDeviceCode         = @'
Signs in with the device code flow: the cmdlet writes a warning with a URL (such as https://microsoft.com/devicelogin) and a code, and waits while you open the URL on any device, type the code and sign in. Use it where no browser is available, or to sign in as a different account than the one Azure CLI or Azure PowerShell uses.

It asks for Application.ReadWrite.All, AppRoleAssignment.ReadWrite.All and User.Read through Microsoft Graph Command Line Tools (14d82eec-204b-4c2f-b7e8-296a70dab67e); an administrator consents to them on first use. With -TenantId the sign-in goes to that tenant; with -ClientId it signs in through your organisation's own public client app registration instead, which must allow public client flows and hold these delegated permissions.
'@
        Identity              = @'
Signs in as a managed identity of the Azure resource the command runs on (Azure Automation, Azure Functions, an Azure VM, Azure Cloud Shell). Without -ClientId the system-assigned identity is used; with -ClientId, the user-assigned identity with that client id. Azure Cloud Shell has no user-assigned identities: there -ClientId fails with the ErrorId InvalidSignInParameters before anything is sent.

The identity needs Graph application permissions for the steps it runs (granted with an app role assignment, not in the portal's API permissions page).
'@
        ClientId              = @'
The application (client) id. With -CertificateThumbprint, -Certificate or -CertificatePath: the app registration to sign in as (required). With -Identity: the client id of a user-assigned managed identity. With -UseDeviceCode: a public client app registration to sign in through.

This is the "Application (client) ID" from the app registration's Overview page, not its object id.
'@
        TenantId              = @'
The tenant to sign in to: its id (a GUID) or one of its domains, such as contoso.onmicrosoft.com. Required for certificate sign-in. With the default chain and -UseDeviceCode it picks the tenant when your account belongs to more than one; without it, your home tenant is used (in Azure Cloud Shell: the tenant in ACC_TID). With -AccessToken and -Identity it names the tenant you expect.

When it is a GUID and the token's tenant (its tid claim) differs, the command fails with the ErrorId TenantMismatch and the session keeps its previous connection.
'@
        CertificateThumbprint = @'
The thumbprint of a certificate in the CurrentUser or LocalMachine "My" certificate store (looked for in that order), for app-only sign-in. The certificate must have its private key. Spaces in the thumbprint are ignored. If no such certificate with a private key is found, the command fails with the ErrorId CertificateNotFoundInStore.
'@
        Certificate           = @'
An X509Certificate2 object with its private key, for app-only sign-in, for example from Get-PfxCertificate or Get-Item Cert:\CurrentUser\My\<thumbprint>. A certificate without a private key fails with the ErrorId CertificateInvalid.
'@
        CertificatePath       = @'
The path to a certificate file with its private key, for app-only sign-in: a .pfx (PKCS#12) file, or a PEM file holding the certificate and its key. A relative path is resolved against the current PowerShell location. A file that does not exist fails with the ErrorId CertificateFileNotFound.
'@
        CertificatePassword   = @'
The password of the .pfx file given with -CertificatePath, as a SecureString (for example from Read-Host -AsSecureString). Leave it out for a file without a password. A wrong password fails with the ErrorId CertificateInvalid.
'@
        AccessToken           = @'
A Microsoft Graph access token you already have, as a SecureString, for example from (Get-AzAccessToken -ResourceTypeName MSGraph -AsSecureString).Token. Its audience must be the Graph of the chosen -Environment.

The token is used as it is and never refreshed: when it expires, run Connect-DropzoneGraph again. It stays in a SecureString and is never written to the output or the context.
'@
        Environment           = @'
The Microsoft cloud the tenant lives in. It sets both the Graph address and the sign-in authority:

Global (the default; also GCC): graph.microsoft.com, login.microsoftonline.com
USGov (GCC High): graph.microsoft.us, login.microsoftonline.us
USGovDoD: dod-graph.microsoft.us, login.microsoftonline.us
China (operated by 21Vianet): microsoftgraph.chinacloudapi.cn, login.chinacloudapi.cn

In Azure Cloud Shell the default is the cloud in ACC_CLOUD (AzureCloud: Global). The context's ExchangeEnvironmentName property tells what to pass to Connect-ExchangeOnline -ExchangeEnvironmentName for the same cloud.
'@
        GraphEndpoint         = @'
The root address of Microsoft Graph to use instead of the one -Environment implies, such as https://graph.microsoft.us. Give the root only, without a version or path: the module adds /v1.0. Sign-in still uses the authority of -Environment.

An address that is not an absolute http(s) URI, or that has a path, query or user information, fails with the ErrorId InvalidGraphEndpoint. Plain http is accepted only for this machine (127.0.0.0/8, ::1, localhost), for a local test double such as the project's tenant emulator: any other http address fails with the ErrorId InsecureEndpoint, because the access token would travel unencrypted.
'@
    }

    Inputs      = @(
        @{ Type = 'None'; Description = 'Connect-DropzoneGraph takes no input from the pipeline.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.GraphContext'
            Description = 'The new connection: TenantId, TenantDisplayName, InitialDomain (the *.onmicrosoft.com domain the vendor calls "Organization ID"), Account (the signed-in user, if any), AppId, Scopes (the token''s delegated scopes, or its application roles for app-only sign-in; empty when the token is not a JWT), TokenExpiresOn, AuthType (Default, DeviceCode, ManagedIdentity, ClientCertificate or AccessToken), Environment, GraphEndpoint, ExchangeEnvironmentName and ConnectedAt. It holds no token or secret.'
        }
    )

    Notes       = @'
Errors stop the command (they are terminating) and leave the session's previous connection in place. Their ErrorIds are stable, so scripts can match on them ($Error[0].FullyQualifiedErrorId starts with the ErrorId):

SignInFailed: no sign-in method got a token (use -UseDeviceCode or a certificate), or the sign-in was refused.

TenantMismatch: -TenantId is not the tenant of the token; the previous connection is kept.

GraphTokenRejected: Graph answered 401 (the token is missing, invalid or expired): connect again.

InsufficientPrivileges: Graph refused to read the organization (403). Delegated sign-in needs User.Read; app-only sign-in needs Organization.Read.All or Directory.Read.All. The writing cmdlets check the token's scopes or roles before their first write and stop with this ErrorId, naming each missing permission and the remedy Connect-DropzoneGraph -UseDeviceCode.

InsecureEndpoint: -GraphEndpoint uses plain http for an address other than this machine.

InvalidGraphEndpoint: -GraphEndpoint is not the root of a Graph service (relative, has a path such as /v1.0, a query or user information).

InvalidSignInParameters: the sign-in parameters do not fit together (for example an empty -AccessToken).

CertificateNotFoundInStore, CertificateFileNotFound, CertificateInvalid: the certificate for app-only sign-in could not be found or used.

GraphUnreachable: Graph could not be reached (network, proxy or a wrong -GraphEndpoint).

The other cmdlets fail with GraphNotConnected until Connect-DropzoneGraph has succeeded in the same session. See about_Dropzone_ExoSetup for the admin roles each step needs.
'@

    Examples    = @(
        @{
            Title   = 'Sign in from Azure Cloud Shell'
            Code    = @'
Connect-DropzoneGraph
'@
            Remarks = @'
In Azure Cloud Shell no parameter is needed: the cmdlet gets the token of the user signed in to Cloud Shell from its token endpoint (MSI_ENDPOINT). When that token lacks Application.ReadWrite.All or AppRoleAssignment.ReadWrite.All, it warns and continues with device code sign-in, which asks for them. On a workstation the same command uses your Azure CLI or Azure PowerShell sign-in. The connection context, with the token's Scopes, is written to the output.
'@
        }
        @{
            Title   = 'Sign in with a device code to a given tenant'
            Code    = @'
Connect-DropzoneGraph -UseDeviceCode -TenantId contoso.onmicrosoft.com
'@
            Remarks = @'
The cmdlet writes a warning such as "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD12345 to authenticate." Sign in there as an administrator of contoso.onmicrosoft.com; the command then returns the connection context.
'@
        }
        @{
            Title   = 'Connect to a US Government (GCC High) tenant'
            Code    = @'
Connect-DropzoneGraph -Environment USGov -UseDeviceCode
$context = Get-DropzoneGraphContext
Connect-ExchangeOnline -ExchangeEnvironmentName $context.ExchangeEnvironmentName -UserPrincipalName $context.Account
'@
            Remarks = @'
Signs in at login.microsoftonline.us and uses Graph at https://graph.microsoft.us. The context's ExchangeEnvironmentName (O365USGovGCCHigh here) is what Connect-ExchangeOnline needs to reach the same cloud for the Exchange steps.
'@
        }
        @{
            Title   = 'Unattended sign-in with a certificate'
            Code    = @'
$params = @{
    ClientId              = '8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f'
    TenantId              = 'contoso.onmicrosoft.com'
    CertificateThumbprint = 'A909502DD82AE41433E6F83886B00D4277A32A7B'
}
Connect-DropzoneGraph @params
'@
            Remarks = @'
Signs in as the app registration 8d2c3f4a-... with the certificate of that thumbprint from the CurrentUser (or LocalMachine) "My" store. Use -CertificatePath .\automation.pfx -CertificatePassword (Read-Host -AsSecureString) for a certificate in a file instead.
'@
        }
        @{
            Title   = 'Reuse a token from Azure PowerShell'
            Code    = @'
$token = (Get-AzAccessToken -ResourceTypeName MSGraph -AsSecureString).Token
Connect-DropzoneGraph -AccessToken $token
'@
            Remarks = @'
Connects with a Graph token Azure PowerShell already holds. The token is not refreshed: when it expires (usually after an hour), get a new one and connect again.
'@
        }
        @{
            Title   = 'One connection per runspace: several tenants in parallel'
            Code    = @'
$appId = '8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f'
$thumbprint = 'A909502DD82AE41433E6F83886B00D4277A32A7B'
'contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com' | ForEach-Object -Parallel {
    Import-Module Dropzone.ExoSetup
    Connect-DropzoneGraph -ClientId $using:appId -TenantId $_ -CertificateThumbprint $using:thumbprint |
        Select-Object TenantDisplayName, InitialDomain
}
'@
            Remarks = @'
Each parallel runspace signs in to its own tenant; the connections do not mix, and the session that started them keeps its own connection (or none). The app registration must be multi-tenant and consented in both tenants.
'@
        }
    )

    Links       = @(
        @{ Text = 'Get-DropzoneGraphContext' }
        @{ Text = 'Disconnect-DropzoneGraph' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'Microsoft Graph national cloud deployments'; Uri = 'https://learn.microsoft.com/graph/deployments' }
        @{ Text = 'Azure Cloud Shell overview'; Uri = 'https://learn.microsoft.com/azure/cloud-shell/overview' }
    )
}
