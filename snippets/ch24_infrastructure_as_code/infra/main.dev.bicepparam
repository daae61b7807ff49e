// The dev environment's values for main.bicep.
using './main.bicep'

param environmentName = 'dev'
param projectName = 'diabetes'
param location = 'eastus'
