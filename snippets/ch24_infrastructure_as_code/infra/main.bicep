// An Azure Machine Learning workspace and what it depends on, for one environment.
// Deploy it to a resource group with az deployment group create (deploy.sh).
targetScope = 'resourceGroup'

// --8<-- [start:parameters]
@description('The environment this copy of the infrastructure serves.')
@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string

@description('Short name of the project: lowercase letters and digits.')
@minLength(3)
@maxLength(12)
param projectName string

@description('Azure region of every resource; the resource group\'s by default.')
param location string = resourceGroup().location

var tags = {
  project: projectName
  environment: environmentName
}
// --8<-- [end:parameters]

// --8<-- [start:dependencies]
module dependencies 'modules/dependencies.bicep' = {
  name: 'dependencies-${environmentName}'
  params: {
    projectName: projectName
    environmentName: environmentName
    location: location
    tags: tags
  }
}
// --8<-- [end:dependencies]

// --8<-- [start:workspace]
resource workspace 'Microsoft.MachineLearningServices/workspaces@2026-05-01' = {
  // checkov:skip=CKV_AZURE_243: a public dev workspace; chapter 25 adds private endpoints
  name: 'mlw-${projectName}-${environmentName}'
  location: location
  tags: tags
  kind: 'Default'
  identity: {
    type: 'SystemAssigned' // reaches storage, vault and registry without keys
  }
  properties: {
    friendlyName: 'Diabetes (${environmentName})'
    storageAccount: dependencies.outputs.storageAccountId
    keyVault: dependencies.outputs.keyVaultId
    containerRegistry: dependencies.outputs.containerRegistryId
    applicationInsights: dependencies.outputs.applicationInsightsId
  }
}

output workspaceName string = workspace.name
output workspaceId string = workspace.id
output workspacePrincipalId string = workspace.identity.principalId
// --8<-- [end:workspace]
