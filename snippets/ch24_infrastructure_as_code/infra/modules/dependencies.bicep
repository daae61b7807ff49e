// What a workspace depends on: storage, a key vault, a container registry and
// monitoring (Application Insights, storing its data in a Log Analytics workspace).
@description('Short name of the project: lowercase letters and digits.')
param projectName string

@description('dev, test or prod.')
param environmentName string

@description('Azure region of every resource.')
param location string

@description('Tags every resource carries.')
param tags object

var prefix = '${projectName}-${environmentName}'
// Storage accounts, vaults and registries need names unique across Azure.
var suffix = uniqueString(resourceGroup().id)

resource storage 'Microsoft.Storage/storageAccounts@2026-04-01' = {
  // checkov:skip=CKV_AZURE_35: a public dev workspace; chapter 25 isolates the network
  // checkov:skip=CKV_AZURE_59: a public dev workspace; chapter 25 isolates the network
  // checkov:skip=CKV_AZURE_206: LRS in dev and test saves money; prod is zone-redundant
  // checkov:skip=CKV_AZURE_43: checkov can't read take(); the name is lowercase and digits
  name: take(toLower('st${projectName}${environmentName}${suffix}'), 24)
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: environmentName == 'prod' ? 'Standard_ZRS' : 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
  }
}

resource vault 'Microsoft.KeyVault/vaults@2026-02-01' = {
  // checkov:skip=CKV_AZURE_109: a public dev workspace; chapter 25 isolates the network
  // checkov:skip=CKV_AZURE_189: a public dev workspace; chapter 25 isolates the network
  name: take('kv-${prefix}-${suffix}', 24)
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true // roles, not access policies, guard secrets
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2025-11-01' = {
  // checkov:skip=CKV_AZURE_139: a public dev workspace; chapter 25 isolates the network
  // checkov:skip=CKV_AZURE_166: quarantine needs Premium; Standard suits one team
  name: take('cr${projectName}${environmentName}${suffix}', 50)
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    adminUserEnabled: false // the workspace pulls and pushes images with its identity
    anonymousPullEnabled: false
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: 'log-${prefix}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${prefix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id // workspace-based: data in Log Analytics
  }
}

output storageAccountId string = storage.id
output keyVaultId string = vault.id
output containerRegistryId string = registry.id
output applicationInsightsId string = insights.id
