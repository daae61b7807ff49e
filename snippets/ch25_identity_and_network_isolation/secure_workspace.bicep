// The secure workspace of chapter 25 in Bicep: a managed virtual network that lets out only approved
// traffic, no public network access, and a private endpoint in the clients' network with its DNS zones.
// Deploy it to a resource group: az deployment group create --template-file secure_workspace.bicep ...
targetScope = 'resourceGroup'

@description('Azure region of every resource; the resource group\'s by default.')
param location string = resourceGroup().location

@description('Name of the workspace.')
param workspaceName string = 'mlw-dp100-secure'

// The resources the workspace depends on, as chapter 24's dependencies module creates them.
@description('Resource id of the workspace\'s storage account.')
param storageAccountId string

@description('Resource id of the workspace\'s key vault.')
param keyVaultId string

@description('Resource id of the workspace\'s container registry.')
param containerRegistryId string

@description('Resource id of the workspace\'s Application Insights.')
param applicationInsightsId string

@description('Resource id of the storage account that holds the training data, reached privately.')
param dataStorageAccountId string

@description('Resource id of the clients\' virtual network.')
param clientsVnetId string

@description('Resource id of the subnet of that network where private endpoints go.')
param endpointsSubnetId string

// --8<-- [start:workspace]
resource workspace 'Microsoft.MachineLearningServices/workspaces@2026-05-01' = {
  name: workspaceName
  location: location
  kind: 'Default'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    friendlyName: 'DP-100 secure workspace'
    storageAccount: storageAccountId
    keyVault: keyVaultId
    containerRegistry: containerRegistryId
    applicationInsights: applicationInsightsId
    publicNetworkAccess: 'Disabled' // only through private endpoints
    systemDatastoresAuthMode: 'identity' // the built-in datastores use identities, not account keys
    managedNetwork: {
      isolationMode: 'AllowOnlyApprovedOutbound'
      outboundRules: {
        pypi: {
          type: 'FQDN' // FQDN rules bring an Azure Firewall into the managed network, and its bill
          category: 'UserDefined'
          destination: 'pypi.org'
        }
        'pypi-files': {
          type: 'FQDN'
          category: 'UserDefined'
          destination: 'files.pythonhosted.org'
        }
        'lab-data-blob': {
          type: 'PrivateEndpoint' // a private endpoint that Azure creates inside the managed network
          category: 'UserDefined'
          destination: {
            serviceResourceId: dataStorageAccountId
            subresourceTarget: 'blob'
            sparkEnabled: false
          }
        }
        'data-factory': {
          type: 'ServiceTag'
          category: 'UserDefined'
          destination: {
            serviceTag: 'DataFactory'
            protocol: 'TCP'
            portRanges: '443'
          }
        }
      }
    }
  }
}
// --8<-- [end:workspace]

// --8<-- [start:endpoint]
resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: 'pe-${workspaceName}'
  location: location
  properties: {
    subnet: {
      id: endpointsSubnetId
    }
    privateLinkServiceConnections: [
      {
        name: workspaceName
        properties: {
          privateLinkServiceId: workspace.id
          groupIds: [
            'amlworkspace'
          ]
        }
      }
    ]
  }
}

var zoneNames = [
  'privatelink.api.azureml.ms'
  'privatelink.notebooks.azure.net'
]

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [for zoneName in zoneNames: {
  name: zoneName
  location: 'global'
}]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [for (zoneName, i) in zoneNames: {
  parent: zones[i]
  name: 'clients'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: clientsVnetId
    }
  }
}]

// The zone group writes the endpoint's addresses into both zones as A records.
resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [for (zoneName, i) in zoneNames: {
      name: replace(zoneName, '.', '-')
      properties: {
        privateDnsZoneId: zones[i].id
      }
    }]
  }
}
// --8<-- [end:endpoint]

output workspaceId string = workspace.id
output workspacePrincipalId string = workspace.identity.principalId
