# What both benches (Invoke-Bench.ps1, Invoke-TenantsBench.ps1) print and compute the same way; dot-sourced.

function Write-Section([string] $Title) { Write-Host ''; Write-Host "== $Title" -ForegroundColor Cyan }
function Write-Note([string] $Text) { Write-Host "   $Text" -ForegroundColor DarkGray }

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return $null }
    if ($n % 2) { return $sorted[[int][Math]::Floor($n / 2)] }
    ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2
}

function Write-ResultTable {
    # The table's rows as text, a MISS in yellow and a PASS in green.
    param([Parameter(Mandatory)][object[]] $Rows, [Parameter(Mandatory)][string[]] $Property)
    $text = ($Rows | Format-Table $Property -AutoSize | Out-String -Width 200).Trim("`r", "`n")
    foreach ($line in $text -split "`r?`n") {
        $color = if ($line -match ' MISS\s*$') { 'Yellow' } elseif ($line -match ' PASS\s*$') { 'Green' } else { 'Gray' }
        Write-Host "   $($line.TrimEnd())" -ForegroundColor $color
    }
}
