# Help source of Get-DropzoneCertificate. Build-Help.ps1 turns it into MAML; types, parameter sets,
# Mandatory, Position, pipeline input and aliases come from the cmdlet itself.
@{
    Synopsis    = 'Gets the certificates on the app registration, with their thumbprints, validity and days left.'

    Description = @'
Get-DropzoneCertificate lists the certificates (keyCredentials) of the app registration with the given Application (client) ID, as the portal shows them under Certificates & secrets: one object per certificate, with its SHA-1 thumbprint, keyId, description, validity dates and the whole days left until it expires. Use it to check that step 1 of the Dropzone AI setup is done (the thumbprint matches the one the Dropzone UI shows), to watch the expiry of the vendor's certificate, and to pick the certificate to remove after a rotation.

Every certificate on the app is listed, not only the one Dropzone AI uses. An app without certificates gives no output and no error.

The thumbprint is computed from the certificate itself (the SHA-1 hash of its DER bytes, upper-case hex, as the portal shows it). If Graph does not return a certificate's key, the thumbprint is taken from its customKeyIdentifier when that holds one, and is empty otherwise.

The command only reads: nothing changes in the tenant. It needs a Graph connection made with Connect-DropzoneGraph in the same session (otherwise the ErrorId GraphNotConnected) and the right to read the app registration (Graph permission Application.Read.All; held by Application Administrator, Cloud Application Administrator and reader roles such as Global Reader).
'@

    Parameters  = @{
        ApplicationId = @'
The Application (client) ID of the app registration: the "Application (client) ID" of the app's Overview page, not its object id. Accepts pipeline input by value (a Guid) and by property name (the ApplicationId, AppId or ClientId property), so the output of Get-DropzoneApplication can be piped to this command.

An app registration with this id that does not exist in the connected tenant fails with the ErrorId ApplicationNotFound.
'@
    }

    Inputs      = @(
        @{ Type = 'System.Guid'; Description = 'An Application (client) ID, bound to -ApplicationId.' }
        @{ Type = 'Dropzone.ExoSetup.DropzoneApplication'; Description = 'The output of Get-DropzoneApplication (or any object with an ApplicationId, AppId or ClientId property), bound to -ApplicationId by property name.' }
    )

    Outputs     = @(
        @{
            Type        = 'Dropzone.ExoSetup.DropzoneCertificate'
            Description = 'One per certificate: ApplicationId, Thumbprint (SHA-1, upper-case hex), KeyId (the certificate''s id on the app), DisplayName (the description), NotBefore, NotAfter, DaysLeft (whole days until NotAfter; negative once expired), Type (AsymmetricX509Cert) and Usage (Verify). ApplicationId, Thumbprint and KeyId bind to Remove-DropzoneCertificate by property name.'
        }
    )

    Notes       = @'
Errors are reported for the input at hand and the pipeline goes on with the next input; add -ErrorAction Stop to stop at the first one. ErrorIds: ApplicationNotFound (no app registration with that Application (client) ID in the connected tenant), GraphNotConnected (run Connect-DropzoneGraph first), InsufficientPrivileges (Graph refused to read the app registration), GraphUnreachable, GraphRequestFailed.
'@

    Examples    = @(
        @{
            Title   = 'Check the certificate after installing it'
            Code    = @'
Get-DropzoneApplication | Get-DropzoneCertificate | Format-Table DisplayName, Thumbprint, NotAfter, DaysLeft
'@
            Remarks = @'
Lists the certificates of the "Dropzone AI" app registration. Compare the thumbprint with the one the Dropzone AI UI shows for the certificate.
'@
        }
        @{
            Title   = 'Warn before the vendor''s certificate expires'
            Code    = @'
Get-DropzoneCertificate -ApplicationId 8d2c3f4a-1b6e-4c7d-9f0a-2e5b7c9d1a3f |
    Where-Object DaysLeft -LT 30 |
    ForEach-Object { Write-Warning "Certificate $($_.Thumbprint) ($($_.DisplayName)) expires in $($_.DaysLeft) day(s)." }
'@
            Remarks = @'
Writes a warning for each certificate that expires within 30 days or has expired already (DaysLeft is negative then). Suitable for a scheduled check in Azure Automation with Connect-DropzoneGraph -Identity.
'@
        }
        @{
            Title   = 'Remove expired certificates'
            Code    = @'
Get-DropzoneApplication | Get-DropzoneCertificate | Where-Object DaysLeft -LT 0 | Remove-DropzoneCertificate -WhatIf
'@
            Remarks = @'
Each certificate object carries ApplicationId, Thumbprint and KeyId, which Remove-DropzoneCertificate takes from the pipeline. -WhatIf shows what would be removed; run it again without -WhatIf (and answer the prompt, or add -Confirm:$false) to remove them. The certificates still valid are kept.
'@
        }
    )

    Links       = @(
        @{ Text = 'Install-DropzoneCertificate' }
        @{ Text = 'Remove-DropzoneCertificate' }
        @{ Text = 'Get-DropzoneApplication' }
        @{ Text = 'about_Dropzone_ExoSetup' }
        @{ Text = 'keyCredential resource type'; Uri = 'https://learn.microsoft.com/graph/api/resources/keycredential' }
    )
}
