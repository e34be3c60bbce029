console.log('jetcurve CLI: under construction');
